using Boucle.Web;

// The same executable serves the web application and runs the command-line verbs (match, import...).
return await BoucleCli.RunAsync(args);

/// Exposed for WebApplicationFactory in the test projects.
public partial class Program;
