using MutualAid.Web;

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/", (IWebHostEnvironment env) => Results.Content(StartPage.Render(StartPage.FindSchemes(env.ContentRootPath)), "text/html; charset=utf-8"));
app.Run();
