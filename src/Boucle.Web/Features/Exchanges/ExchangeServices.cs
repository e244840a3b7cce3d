namespace Boucle.Web.Features.Exchanges;

public static class ExchangeServices
{
    public static IServiceCollection AddExchanges(this IServiceCollection services)
    {
        services.AddScoped<ExchangeRecorder>();
        return services;
    }
}
