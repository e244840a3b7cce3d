using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Boucle.Web.Features.Shared;

/// Binds check boxes (bool, bool?) from forms. A value that is not a boolean becomes a field error
/// and is remembered as "false": MVC's own binder keeps the raw text, and the checkbox tag helper
/// then fails with a FormatException (a 500) when the page is shown again with its errors.
public sealed class CheckboxBinder : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        var value = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
        if (value == ValueProviderResult.None)
        {
            return Task.CompletedTask;
        }

        var text = value.FirstValue;
        if (bool.TryParse(text, out var parsed))
        {
            bindingContext.ModelState.SetModelValue(bindingContext.ModelName, value);
            bindingContext.Result = ModelBindingResult.Success(parsed);
        }
        else if (string.IsNullOrEmpty(text) && Nullable.GetUnderlyingType(bindingContext.ModelType) is not null)
        {
            bindingContext.ModelState.SetModelValue(bindingContext.ModelName, value);
            bindingContext.Result = ModelBindingResult.Success(null);
        }
        else
        {
            bindingContext.ModelState.SetModelValue(bindingContext.ModelName, new ValueProviderResult("false"));
            bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, "Valeur non valide : cochez ou décochez la case.");
            bindingContext.Result = ModelBindingResult.Failed();
        }

        return Task.CompletedTask;
    }
}

public sealed class CheckboxBinderProvider : IModelBinderProvider
{
    private static readonly CheckboxBinder Binder = new();

    public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
        context.Metadata.UnderlyingOrModelType == typeof(bool) ? Binder : null;
}
