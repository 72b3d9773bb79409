var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/", () => "ready");
app.Run();
