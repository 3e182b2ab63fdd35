var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/", () => "MutualAid");
app.Run();
