using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FunctionsPortal.Auth;
using FunctionsPortal.Checklists;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Checklists;

public sealed class ChecklistsApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly PortalApplication _app = new(azurite);
    private HttpClient _admin = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _admin = _app.CreateStaffClient(StaffRoles.Admin);
        await _app.Services.WhenStorageReadyAsync();
        await _app.Services.GetRequiredService<DefaultChecklistsSeeder>().SeedAsync(Token);
    }

    [Fact]
    public async Task TheDefaultsAreListedAndADerivedOneResolvesToItsItems()
    {
        var list = await _admin.GetFromJsonAsync<List<ChecklistVersionInfo>>("/api/checklists", ChecklistLibrary.Json, Token);
        var lite = await _admin.GetFromJsonAsync<ChecklistDefinition>("/api/checklists/annual-lite/versions/1?resolved=true", ChecklistLibrary.Json, Token);

        Assert.Contains(list!, info => info.Id == "annual-full" && info.Version == 1 && info.ItemCount >= 50);
        Assert.Equal(25, lite!.Sections!.Sum(section => section.Items.Count));
        Assert.Equal("annual-full", lite.DerivedFrom!.Id);
    }

    [Fact]
    public async Task AnUnknownVersionIsA404()
    {
        using var response = await _admin.GetAsync("/api/checklists/annual-full/versions/99", Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AnInvalidDefinitionIsA400NamingEachProblem()
    {
        var broken = new { id = "Bad Id", version = 0, kind = "weekly", title = new { ja = "", en = "x" }, description = new { ja = "x", en = "x" }, sections = Array.Empty<object>() };

        using var response = await _admin.PostAsJsonAsync("/api/checklists", broken, Token);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Superset(new HashSet<string> { "id", "version", "kind", "title.ja" }, problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).ToHashSet());
    }

    [Fact]
    public async Task AnExportedWorkbookEditedIntoANewVersionImportsAndTheUsedVersionCannotBeEdited()
    {
        var xlsx = await _admin.GetByteArrayAsync("/api/checklists/due-diligence/versions/1/export.xlsx", Token);
        var definition = ChecklistXlsx.Import(new MemoryStream(xlsx)) with { Version = 3 }; // version 2 is a default
        using var content = new ByteArrayContent(ChecklistXlsx.Export(definition));
        content.Headers.ContentType = new("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

        using var imported = await _admin.PostAsync("/api/checklists/import.xlsx", content, Token);
        await _app.Services.GetRequiredService<ChecklistLibrary>().MarkUsedAsync("due-diligence", 3, "survey", Token);
        using var edit = await _admin.PutAsJsonAsync("/api/checklists/due-diligence/versions/3", definition, ChecklistLibrary.Json, Token);
        var problem = await edit.Content.ReadFromJsonAsync<JsonElement>(Token);

        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, edit.StatusCode);
        Assert.Contains("create version 4", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReviewersReadChecklistsButCannotChangeThem()
    {
        using var reviewer = _app.CreateStaffClient(StaffRoles.Reviewer);
        var definition = await reviewer.GetFromJsonAsync<ChecklistDefinition>("/api/checklists/annual-full/versions/1", ChecklistLibrary.Json, Token);

        using var response = await reviewer.PostAsJsonAsync("/api/checklists", definition! with { Version = 2 }, ChecklistLibrary.Json, Token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _app.DisposeAsync();
    }
}
