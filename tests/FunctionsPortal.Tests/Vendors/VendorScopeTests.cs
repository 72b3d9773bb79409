using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using FunctionsPortal.Auth;
using FunctionsPortal.Storage;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Vendors;

/// <summary>The scope index rows kept with every vendor change, and the lookup that reads only them (issue 17, item 3).</summary>
public sealed class VendorScopeTests(BulkAzuriteFixture azurite) : IAsyncLifetime, IClassFixture<BulkAzuriteFixture>
{
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private VendorStore Store => _app.Services.GetRequiredService<VendorStore>();

    private VendorScope Scope => _app.Services.GetRequiredService<VendorScope>();

    private TableClient Table => _app.Services.GetRequiredService<PortalStorage>().GetTable(VendorStore.TableName);

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        await _app.Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>The scope rows of one vendor, as "facet!value" (the key without its prefix and vendor id).</summary>
    private async Task<SortedSet<string>> ScopeKeysAsync(string id)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var row in Table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {VendorEntity.Partition} and RowKey ge {"s-"} and RowKey lt {"s."} and VendorId eq {id}"), cancellationToken: Token))
        {
            Assert.EndsWith("!" + id, row.RowKey, StringComparison.Ordinal);
            keys.Add(row.RowKey["s-".Length..^(id.Length + 1)]);
        }

        return keys;
    }

    private static Vendor Handling(string name, string[] categories, string[] systems, string[] storage, string[] access, string[] workLocations, string? parentId = null) =>
        SampleVendors.Domestic(name, parentId) with
        {
            DataCategories = categories,
            CloudServices = systems,
            Countries = new("JP", storage, access),
            WorkLocations = workLocations,
        };

    [Fact]
    public async Task ScopeRowsFollowAddsAndChangesOfCategoriesSystemsLocationsAndParent()
    {
        await Store.AddAsync("sp-a", SampleVendors.Domestic("株式会社親A"), "test", Token);
        await Store.AddAsync("sp-b", SampleVendors.Domestic("株式会社親B"), "test", Token);
        var added = await Store.AddAsync("sc-1", Handling("株式会社子", ["personal", "sensitive"], ["AWS S3 (Tokyo)", "Box / 社内#1"], ["JP"], ["JP", "US"], ["our-premises"], "sp-a"), "test", Token);

        Assert.Equal(
            ["category!personal", "category!sensitive", "location!jp", "location!our-premises", "location!us", "parent!sp-a", "system!aws~0020s3~0020~0028tokyo~0029", "system!box~0020~002F~0020~793E~5185~00231"],
            await ScopeKeysAsync("sc-1"));

        // Spacing and case are not a change of system; the other values move, and the subcontractor changes parent.
        await Store.UpdateAsync("sc-1", added.ETag, Handling("株式会社子（新）", ["personal"], ["  aws   S3 (TOKYO) "], ["SG"], ["JP"], ["remote"], "sp-b") with { ApproximateRecords = 7_000 }, "test", Token);

        Assert.Equal(["category!personal", "location!jp", "location!remote", "location!sg", "parent!sp-b", "system!aws~0020s3~0020~0028tokyo~0029"], await ScopeKeysAsync("sc-1"));
        var row = (await Store.ScopeRowsAsync("location", "SG", "storage", Token)).Single();
        Assert.Equal(("sc-1", "株式会社子（新）", "sp-b", (long?)7_000, "active", (string?)null), (row.VendorId, row.NameJa, row.ParentId, row.ApproximateRecords, row.LifecycleStatus, row.LinkedVendorId));
        Assert.Equal(["personal"], row.DataCategories);
        Assert.DoesNotContain("sc-1", (await Store.ScopeRowsAsync("location", "JP", "storage", Token)).Select(found => found.VendorId));
        Assert.Contains("sc-1", (await Store.ScopeRowsAsync("location", "jp", "access", Token)).Select(found => found.VendorId));
        Assert.Empty(await Store.ScopeRowsAsync("parent", "sp-a", null, Token));

        // A subcontractor that stops being one loses its parent row; a vendor that terminates keeps its rows (it may still hold the data).
        var current = (await Store.FindAsync("sc-1", Token))!;
        await Store.UpdateAsync("sc-1", current.ETag, current.Vendor with { ParentId = null, Scope = null, LifecycleStatus = "terminated" }, "test", Token);

        Assert.Equal(["category!personal", "location!jp", "location!remote", "location!sg", "system!aws~0020s3~0020~0028tokyo~0029"], await ScopeKeysAsync("sc-1"));
        Assert.Equal("terminated", (await Store.ScopeRowsAsync("category", "personal", null, Token)).Single(found => found.VendorId == "sc-1").LifecycleStatus);
    }

    [Fact]
    public async Task AVendorStoredBeforeTheIndexCanBeEditedAndTheBackfillIndexesIt()
    {
        var stored = await Store.AddAsync("old-1", Handling("株式会社旧", ["personal", "sensitive"], ["Box"], ["JP"], ["JP"], ["vendor-premises"]), "test", Token);
        await Store.AddAsync("old-2", Handling("株式会社旧二", ["credit-card"], [], ["US"], ["US"], []), "test", Token);
        await ForgetScopeIndexAsync();

        // Its old values have no rows to delete: the edit must not try (a delete of a missing row fails the transaction).
        await Store.UpdateAsync("old-1", stored.ETag, stored.Vendor with { DataCategories = ["personal"], CloudServices = [] }, "test", Token);
        Assert.Equal(["category!personal", "location!jp", "location!vendor-premises"], await ScopeKeysAsync("old-1"));
        await ForgetScopeIndexAsync();
        await Table.UpsertEntityAsync(new TableEntity(VendorEntity.Partition, "s-category!none!old-2") { ["VendorId"] = "old-2" }, cancellationToken: Token);
        Assert.False(await Store.ListIndexBuiltAsync(Token));

        // The start-up backfill (a second instance on the same storage) builds them, and removes the row no record accounts for.
        await using (var restarted = new PortalApplication(azurite, _app.Prefix))
        {
            await restarted.Services.WhenStorageReadyAsync();
            await Eventually.ValueAsync(() => Store.ListIndexBuiltAsync(Token), built => built, _ => "the list index marker after start-up", cancellationToken: Token);
        }

        Assert.Equal(["category!personal", "location!jp", "location!vendor-premises"], await ScopeKeysAsync("old-1"));
        Assert.Equal(["category!credit-card", "location!us"], await ScopeKeysAsync("old-2"));

        // A rebuild of an index that is right writes no scope row.
        var before = await ScopeRowsWithTimestampsAsync();
        await Store.RebuildListIndexAsync(Token);
        Assert.Equal(before, await ScopeRowsWithTimestampsAsync());
    }

    private async Task ForgetScopeIndexAsync()
    {
        await foreach (var row in Table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {VendorEntity.Partition} and ((RowKey ge {"s-"} and RowKey lt {"s."}) or RowKey eq {"m-list-index-v2"})"), select: ["PartitionKey", "RowKey"], cancellationToken: Token))
        {
            await Table.DeleteEntityAsync(row.PartitionKey, row.RowKey, cancellationToken: Token);
        }
    }

    private async Task<List<string>> ScopeRowsWithTimestampsAsync()
    {
        var rows = new List<string>();
        await foreach (var row in Table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {VendorEntity.Partition} and RowKey ge {"s-"} and RowKey lt {"s."}"), cancellationToken: Token))
        {
            rows.Add($"{row.RowKey} {row.ETag}");
        }

        return rows;
    }

    [Fact]
    public async Task AVendorWithMoreScopeRowsThanATransactionHoldsIsStoredWithAllOfThem()
    {
        string[] systems = [.. Enumerable.Range(0, VendorValidator.MaxCloudServices).Select(index => $"System {index}")];
        string[] countries = [.. Enumerable.Range(0, 60).Select(index => $"{(char)('A' + (index / 26))}{(char)('A' + (index % 26))}")];
        var wide = Handling("株式会社広域", ["personal", "sensitive", "credit-card"], systems, countries, ["JP"], ["our-premises", "remote"]);

        await Store.AddAsync("wide-1", wide, "test", Token);
        await Store.AddManyAsync([("wide-2", wide with { CorporateNumber = SampleVendors.NextCorporateNumber() }), ("narrow-3", SampleVendors.Domestic())], "test", Token);
        var stored = (await Store.FindAsync("wide-1", Token))!;
        await Store.UpdateAsync("wide-1", stored.ETag, wide with { CloudServices = [.. systems.Select(system => system + " v2")] }, "test", Token);

        Assert.Equal(3 + 50 + 2 + 61, (await ScopeKeysAsync("wide-2")).Count);
        var keys = await ScopeKeysAsync("wide-1");
        Assert.Equal(3 + 50 + 2 + 61, keys.Count);
        Assert.All(keys.Where(key => key.StartsWith("system!", StringComparison.Ordinal)), key => Assert.EndsWith("~0020v2", key, StringComparison.Ordinal));
        Assert.Equal(["category!personal", "location!jp", "location!our-premises"], await ScopeKeysAsync("narrow-3"));
    }

    private const int Registry = 10_000;
    private const string Source = "r00001";

    private static bool Sensitive(int index) => index % 25 == 0;

    private static bool Aws(int index) => index % 40 == 3;

    private static bool StoredInSingapore(int index) => index % 30 == 5;

    private static bool AccessedFromSingapore(int index) => index % 30 == 6;

    private static bool SubcontractsForSource(int index) => index >= Registry - 12;

    private static long? Records(int index) => index % 100 == 7 ? null : index * 10L;

    /// <summary>A registry whose every vendor's scope follows from its number, so the expected answer is known exactly.</summary>
    private static (string Id, Vendor Vendor) Numbered(int index) => ($"r{index:00000}", SampleVendors.Domestic($"株式会社範囲{index:00000}", SubcontractsForSource(index) ? Source : null) with
    {
        DataCategories = Sensitive(index) ? ["personal", "sensitive"] : ["personal"],
        CloudServices = Aws(index) ? ["AWS S3 (ap-northeast-1)"] : index % 40 == 4 ? ["AWS S3 (us-east-1)"] : [],
        Countries = new("JP", StoredInSingapore(index) ? ["SG"] : ["JP"], AccessedFromSingapore(index) ? ["JP", "SG"] : ["JP"]),
        ApproximateRecords = Records(index),
    });

    [Fact]
    public async Task TheLookupOverTenThousandVendorsFindsExactlyTheExpectedOnesWithOneQueryPerValueAndNoScan()
    {
        var seeding = Stopwatch.StartNew();
        await Store.AddManyAsync([.. Enumerable.Range(0, Registry).Select(Numbered)], "test", Token);
        TestContext.Current.TestOutputHelper?.WriteLine($"seeded {Registry:N0} vendors in {seeding.Elapsed.TotalSeconds:F1} s");

        var query = new VendorScopeQuery { Categories = ["sensitive"], Systems = ["aws s3 (AP-NORTHEAST-1)"], Locations = ["storage:SG"], VendorId = Source };
        VendorScopeResult result;
        using (var counted = StorageOperationScope.Begin())
        {
            result = await Scope.FindAsync(query, Token);

            Assert.Equal(0, counted.Count(StorageOperationKind.Scan));
            Assert.Equal(4, counted.Count(StorageOperationKind.Query));
            Assert.Equal(4, result.ValuesLookedUp);

            // The source vendor's name (its subcontractors' parent); every other parent name came with the rows.
            Assert.Equal(1, counted.Count(StorageOperationKind.PointRead));
            Assert.Equal(5, counted.Total);
        }

        var expected = Enumerable.Range(0, Registry).Where(index => index != 1)
            .Select(index => (Id: $"r{index:00000}", Index: index, On: new[]
            {
                Sensitive(index) ? "category:sensitive" : null,
                Aws(index) ? "system:aws s3 (ap-northeast-1)" : null,
                StoredInSingapore(index) ? "location:storage:sg" : null,
                SubcontractsForSource(index) ? VendorScope.SubcontractorOf : null,
            }.OfType<string>().ToList()))
            .Where(vendor => vendor.On.Count > 0)
            .ToDictionary(vendor => vendor.Id);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), result.Vendors.Select(vendor => vendor.VendorId).Order(StringComparer.Ordinal));
        Assert.All(result.Vendors, vendor =>
        {
            var want = expected[vendor.VendorId];
            Assert.Equal(want.On, vendor.MatchedOn);
            Assert.Equal(Records(want.Index), vendor.ApproximateRecords);
            Assert.Equal($"株式会社範囲{want.Index:00000}", vendor.NameJa);
            Assert.Equal(SubcontractsForSource(want.Index) ? "株式会社範囲00001" : null, vendor.ParentNameJa);
        });
        Assert.Equal(expected.Count, result.Totals.Vendors);
        Assert.Equal(expected.Values.Sum(vendor => Records(vendor.Index) ?? 0), result.Totals.ApproximatePeople);
        Assert.Equal(expected.Values.Count(vendor => Records(vendor.Index) is null), result.Totals.VendorsWithoutRecordCount);
        Assert.Equal("株式会社範囲00001", result.SourceNameJa);
        Assert.Equal(
            result.Vendors.OrderByDescending(vendor => vendor.MatchedOn.Count).ThenByDescending(vendor => vendor.ApproximateRecords ?? -1).Select(vendor => vendor.VendorId),
            result.Vendors.Select(vendor => vendor.VendorId));

        // Seed idea 6: sensitive data stored in a country — both facets must hold.
        var both = await Scope.FindAsync(new VendorScopeQuery { Categories = ["sensitive"], Locations = ["storage:sg"], MatchAll = true }, Token);
        Assert.Equal(
            Enumerable.Range(0, Registry).Where(index => Sensitive(index) && StoredInSingapore(index)).Select(index => $"r{index:00000}"),
            both.Vendors.Select(vendor => vendor.VendorId).Order(StringComparer.Ordinal));
        Assert.NotEmpty(both.Vendors);

        // Without a role a country matches where the data is accessed from too.
        var anywhere = await Scope.FindAsync(new VendorScopeQuery { Locations = ["SG"] }, Token);
        Assert.Equal(Enumerable.Range(0, Registry).Count(index => StoredInSingapore(index) || AccessedFromSingapore(index)), anywhere.Totals.Vendors);
    }

    [Fact]
    public async Task TheQueryIsValidatedAndCappedBeforeAnythingIsRead()
    {
        using var counted = StorageOperationScope.Begin();
        await Assert.ThrowsAsync<VendorValidationException>(() => Scope.FindAsync(new VendorScopeQuery(), Token));
        await Assert.ThrowsAsync<VendorValidationException>(() => Scope.FindAsync(new VendorScopeQuery { Categories = ["secret"] }, Token));
        await Assert.ThrowsAsync<VendorValidationException>(() => Scope.FindAsync(new VendorScopeQuery { Locations = ["Japan"] }, Token));
        await Assert.ThrowsAsync<VendorValidationException>(() => Scope.FindAsync(new VendorScopeQuery { Locations = ["storage:remote"] }, Token));
        var tooMany = Enumerable.Range(0, VendorScope.MaxValues + 1).Select(index => $"system {index}").ToList();
        var exception = await Assert.ThrowsAsync<VendorValidationException>(() => Scope.FindAsync(new VendorScopeQuery { Systems = tooMany }, Token));
        Assert.Contains("query", exception.Errors.Keys);
        Assert.Equal(0, counted.Total);
    }

    [Fact]
    public async Task TheApiAnswersAnyStaffRoleWithMatchesAndTotalsAndRefusesBadQueries()
    {
        await Store.AddManyAsync(
        [
            ("api-src", Handling("株式会社発生元", ["personal", "sensitive"], ["Box"], ["JP"], ["JP"], [])),
            ("api-sub", Handling("株式会社再委託", ["personal"], [], ["JP"], ["JP"], [], "api-src") with { ApproximateRecords = 20 }),
            ("api-box", Handling("株式会社箱", ["sensitive"], ["box"], ["CN"], ["JP"], []) with { ApproximateRecords = 300 }),
        ], "test", Token);
        using var reviewer = _app.CreateStaffClient(StaffRoles.Reviewer);

        using var response = await reviewer.GetAsync("/api/vendors/scope?category=sensitive&system=BOX&location=storage:CN&location=remote&vendorId=api-src", Token);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("storage-scan", string.Join(",", response.Headers.GetValues("Server-Timing")), StringComparison.Ordinal);
        Assert.Equal("株式会社発生元", body.GetProperty("sourceNameJa").GetString());
        var vendors = body.GetProperty("vendors").EnumerateArray().ToList();
        Assert.Equal(["api-box", "api-sub"], vendors.Select(vendor => vendor.GetProperty("vendorId").GetString()));
        Assert.Equal(["category:sensitive", "system:box", "location:storage:cn"], vendors[0].GetProperty("matchedOn").EnumerateArray().Select(on => on.GetString()));
        Assert.Equal(300, vendors[0].GetProperty("approximateRecords").GetInt64());
        Assert.Equal([VendorScope.SubcontractorOf], vendors[1].GetProperty("matchedOn").EnumerateArray().Select(on => on.GetString()));
        Assert.Equal("株式会社発生元", vendors[1].GetProperty("parentNameJa").GetString());
        Assert.Equal(["personal"], vendors[1].GetProperty("dataCategories").EnumerateArray().Select(category => category.GetString()));
        Assert.Equal(2, body.GetProperty("totals").GetProperty("vendors").GetInt32());
        Assert.Equal(320, body.GetProperty("totals").GetProperty("approximatePeople").GetInt64());

        var tooMany = string.Join('&', Enumerable.Range(0, VendorScope.MaxValues + 1).Select(index => $"system=s{index}"));
        using var refused = await reviewer.GetAsync($"/api/vendors/scope?{tooMany}", Token);
        using var badMatch = await reviewer.GetAsync("/api/vendors/scope?category=personal&match=some", Token);
        using var unknownSource = await reviewer.GetAsync("/api/vendors/scope?vendorId=nobody", Token);
        using var anonymous = _app.CreateClient();
        using var signedOut = await anonymous.GetAsync("/api/vendors/scope?category=personal", Token);
        using var notStaff = _app.CreateStaffClient("Portal.Someone");
        using var forbidden = await notStaff.GetAsync("/api/vendors/scope?category=personal", Token);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("query", await refused.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badMatch.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownSource.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }
}
