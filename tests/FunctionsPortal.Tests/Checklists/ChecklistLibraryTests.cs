using FunctionsPortal.Checklists;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Checklists;

public sealed class ChecklistLibraryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly PortalApplication _app = new(azurite);
    private ChecklistLibrary _library = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _app.Services.WhenStorageReadyAsync();
        _library = _app.Services.GetRequiredService<ChecklistLibrary>();
    }

    private static ChecklistDefinition Small(string id, int version = 1, string text = "規程を定めていますか。") => new()
    {
        Id = id,
        Version = version,
        Kind = "interim",
        Title = new("テスト", "Test"),
        Description = new("説明", "Description"),
        Sections =
        [
            new ChecklistSection("governance", new("体制", "Governance"),
            [
                new ChecklistItem
                {
                    Id = "GOV-01", Text = new(text, "Do you have rules?"), Source = new(["000"], null), AnswerType = AnswerTypes.Status,
                    Weight = 3, Critical = true, Required = true, Evidence = "optional", Finding = new("process", new("規程を整備するよう指導する。", "Guide the vendor to write rules.")),
                },
                new ChecklistItem
                {
                    Id = "GOV-02", Text = new("責任者は誰ですか。", "Who is responsible?"), Source = new(["001"], null), AnswerType = AnswerTypes.Text,
                    Weight = 1, Required = false, Evidence = "none",
                    Applicability = [new Condition { Answer = new AnswerCondition("GOV-01", ["done", "partial"]) }],
                },
            ]),
        ],
    };

    [Fact]
    public async Task AVersionReadsBackExactlyAsStored()
    {
        var definition = Small("round-trip");

        await _library.CreateAsync(definition, "tester", Token);
        var stored = await _library.GetAsync("round-trip", 1, Token);

        Assert.Equivalent(definition, stored, strict: true);
        Assert.Null(await _library.GetAsync("round-trip", 2, Token));
    }

    [Fact]
    public async Task AnUnusedVersionCanBeEditedAUsedOneOnlyReplacedByANewVersion()
    {
        await _library.CreateAsync(Small("editable"), "tester", Token);

        await _library.ReplaceAsync(Small("editable", text: "規程（改訂版）を定めていますか。"), "tester", Token);
        await _library.MarkUsedAsync("editable", 1, "survey", Token);
        var refused = await Assert.ThrowsAsync<ChecklistConflictException>(() => _library.ReplaceAsync(Small("editable", text: "もう一度"), "tester", Token));
        await _library.CreateAsync(Small("editable", version: 2, text: "もう一度"), "tester", Token);

        Assert.Contains("create version 2", refused.Message, StringComparison.Ordinal);
        Assert.Equal("規程（改訂版）を定めていますか。", (await _library.GetAsync("editable", 1, Token))!.Sections![0].Items[0].Text.Ja);
        Assert.Equal("もう一度", (await _library.GetAsync("editable", 2, Token))!.Sections![0].Items[0].Text.Ja);
    }

    [Fact]
    public async Task CreatingAnExistingVersionIsAConflict()
    {
        await _library.CreateAsync(Small("twice"), "tester", Token);

        await Assert.ThrowsAsync<ChecklistConflictException>(() => _library.CreateAsync(Small("twice"), "tester", Token));
    }

    [Fact]
    public async Task UsingADerivedChecklistFreezesTheVersionItSelectsFrom()
    {
        await _library.CreateAsync(Small("parent"), "tester", Token);
        var derived = Small("child") with { Sections = null, DerivedFrom = new DerivedFrom("parent", 1, null, ["GOV-01"]) };
        await _library.CreateAsync(derived, "tester", Token);

        await _library.MarkUsedAsync("child", 1, "survey", Token);
        var resolved = await _library.ResolveAsync("child", 1, Token);

        Assert.True((await _library.InfoAsync("parent", 1, Token))!.Used);
        Assert.Equal(["GOV-01"], resolved!.Items.Select(pair => pair.Item.Id));
        await Assert.ThrowsAsync<ChecklistConflictException>(() => _library.ReplaceAsync(Small("parent", text: "変更"), "tester", Token));
    }

    [Fact]
    public async Task ADerivedChecklistNeedsAnExistingParent()
    {
        var orphan = Small("orphan") with { Sections = null, DerivedFrom = new DerivedFrom("missing-parent", 1, ["governance"], null) };

        var error = await Assert.ThrowsAsync<ChecklistValidationException>(() => _library.CreateAsync(orphan, "tester", Token));

        Assert.Contains("derivedFrom", error.Errors.Keys);
    }

    [Fact]
    public async Task TheDefaultChecklistsAreInTheLibraryAfterStartAndSeedingAgainAddsNothing()
    {
        var seeder = _app.Services.GetRequiredService<DefaultChecklistsSeeder>();
        await seeder.SeedAsync(Token);

        var again = await seeder.SeedAsync(Token);
        var versions = await _library.ListAsync(Token);

        Assert.Equal(0, again);
        Assert.Superset(DefaultChecklists.All.Select(definition => definition.Id).ToHashSet(), versions.Select(info => info.Id).ToHashSet());
        Assert.Equal(25, versions.Single(info => info.Id == "annual-lite" && info.Version == 1).ItemCount);
        Assert.Equal(32, versions.Single(info => info.Id == "annual-lite" && info.Version == 2).ItemCount);
    }

    [Fact]
    public async Task TheListReadsOneCatalogPartitionThatFollowsCreationUseAndRepair()
    {
        // The start-up import writes default checklists (row, then catalog copy) in the background: let it finish first.
        await _app.Services.GetRequiredService<DefaultChecklistsSeeder>().Seeded.WaitAsync(TimeSpan.FromSeconds(60), Token);
        var id = "catalog-" + Guid.NewGuid().ToString("N")[..8];
        await _library.CreateAsync(Small(id), "tester", Token);
        await _library.MarkUsedAsync(id, 1, "tester", Token);

        using (var scope = FunctionsPortal.Storage.StorageOperationScope.Begin())
        {
            var listed = Assert.Single(await _library.ListAsync(Token), info => info.Id == id);
            Assert.True(listed.Used);
            Assert.Equal(0, scope.Count(FunctionsPortal.Storage.StorageOperationKind.Scan));
        }

        // A copy lost between the row and the catalog (a crash) is written again by the repair the seeder runs.
        var table = _app.Services.GetRequiredService<FunctionsPortal.Storage.PortalStorage>().GetTable(ChecklistLibrary.TableName);
        await table.DeleteEntityAsync("~catalog", $"{id}|v0001", cancellationToken: Token);
        Assert.DoesNotContain(await _library.ListAsync(Token), info => info.Id == id);

        Assert.True(await _library.SyncCatalogAsync(Token) >= 1);
        Assert.True(Assert.Single(await _library.ListAsync(Token), info => info.Id == id).Used);
        Assert.Equal(0, await _library.SyncCatalogAsync(Token));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
