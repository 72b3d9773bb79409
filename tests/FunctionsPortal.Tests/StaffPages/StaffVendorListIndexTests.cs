using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using FunctionsPortal.Auth;
using FunctionsPortal.Storage;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.StaffPages;

/// <summary>The list rows the staff vendor list reads (kept with every change) and the bounded attention rows the dashboard reads.</summary>
public sealed partial class StaffVendorListIndexTests(BulkAzuriteFixture azurite) : IAsyncLifetime, IClassFixture<BulkAzuriteFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        await _app.Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task TheFirstPageOfTenThousandVendorsMakesAtMostFiveStorageRoundTrips()
    {
        var store = _app.Services.GetRequiredService<VendorStore>();
        await store.AddManyAsync([.. Enumerable.Range(0, 10_000).Select(index => ($"big{index:00000}", SampleVendors.Domestic($"株式会社大量{index:00000}") with
        {
            BusinessCategory = index % 2 == 0 ? "bpo" : "it-operations",
            DataCategories = index % 3 == 0 ? ["personal", "sensitive"] : ["personal"],
        }))], "test", Token);

        using var reviewer = _app.CreateStaffClient(StaffRoles.Reviewer);
        foreach (var url in new[] { "/staff/vendors", "/staff/vendors?category=it-operations&tier=medium", "/staff/vendors?status=active" })
        {
            using var response = await reviewer.GetAsync(url, Token);
            var html = await response.Content.ReadAsStringAsync(Token);
            var timing = response.Headers.GetValues("Server-Timing").Single();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(50, Regex.Count(html, @"<a href=""/staff/vendors/[^""]+"">"));
            Assert.Contains("50社以上", html, StringComparison.Ordinal);
            Assert.Contains("次の50社", html, StringComparison.Ordinal);
            Assert.InRange(RoundTrips(timing), 1, 5);
        }

        var first = await reviewer.GetStringAsync("/staff/vendors", Token);
        Assert.Contains("株式会社大量00000", first, StringComparison.Ordinal);
        Assert.Contains("株式会社大量00049", first, StringComparison.Ordinal);
        Assert.DoesNotContain("株式会社大量00050", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheListFollowsAddsRenamesSubcontractorsAndTierOverrides()
    {
        var registry = _app.Services.GetRequiredService<VendorRegistry>();
        using var reviewer = _app.CreateStaffClient(StaffRoles.Reviewer);
        var marker = "索引" + Guid.NewGuid().ToString("N")[..6];

        // Sensitive data (3) and a company abroad (2): medium; a subcontractor (1) makes it high.
        var parent = await registry.CreateAsync(SampleVendors.Domestic($"株式会社{marker}親") with { DataCategories = ["personal", "sensitive"], Countries = new("US", ["JP"], ["JP"]) }, "test", Token);
        Assert.Equal("medium", (await ListedAsync(reviewer, marker)).Single().EffectiveTier);

        var child = await registry.CreateAsync(SampleVendors.Domestic($"株式会社{marker}子", parentId: parent.Id), "test", Token);
        var listed = await ListedAsync(reviewer, marker);
        Assert.Equal(["low", "high"], listed.OrderBy(item => item.NameJa, StringComparer.Ordinal).Select(item => item.EffectiveTier));
        Assert.Equal((await registry.FindAsync(parent.Id, Token))!.Risk.EffectiveTier, listed.Single(item => item.Id == parent.Id).EffectiveTier);
        Assert.Contains(parent.Id, (await PageAsync(reviewer, "/api/vendors?tier=high&pageSize=200")).Items.Select(item => item.Id));

        // Moving the subcontractor away takes the parent back to medium; the tier filter follows.
        child = await registry.UpdateAsync(child.Id, child.ETag, child.Vendor with { ParentId = null }, "test", Token);
        Assert.Equal("medium", (await ListedAsync(reviewer, marker)).Single(item => item.Id == parent.Id).EffectiveTier);
        Assert.DoesNotContain(parent.Id, (await PageAsync(reviewer, "/api/vendors?tier=high&pageSize=200")).Items.Select(item => item.Id));
        Assert.Contains(child.Id, (await PageAsync(reviewer, "/api/vendors?parentId=none&pageSize=200")).Items.Select(item => item.Id));

        // A rename moves the row (no duplicate under the old name); an override changes the effective tier and the filter.
        parent = (await registry.FindAsync(parent.Id, Token))!;
        parent = await registry.UpdateAsync(parent.Id, parent.ETag, parent.Vendor with { LegalName = new($"株式会社{marker}改名", "Renamed K.K.") }, "test", Token);
        parent = await registry.SetRiskOverrideAsync(parent.Id, parent.ETag, "low", "Audited on site", "admin", Token);
        listed = await ListedAsync(reviewer, marker);
        Assert.Equal([$"株式会社{marker}子", $"株式会社{marker}改名"], listed.Select(item => item.NameJa).Order(StringComparer.Ordinal));
        Assert.Equal("low", listed.Single(item => item.Id == parent.Id).EffectiveTier);
        Assert.Equal("medium", listed.Single(item => item.Id == parent.Id).ComputedTier);
        Assert.Contains(parent.Id, (await PageAsync(reviewer, "/api/vendors?tier=low&pageSize=200")).Items.Select(item => item.Id));
        Assert.DoesNotContain(parent.Id, (await PageAsync(reviewer, "/api/vendors?tier=medium&pageSize=200")).Items.Select(item => item.Id));
        Assert.Equal(2, await RowsAsync($"l-", "l."));
    }

    [Fact]
    public async Task AttentionRowsExistOnlyForVendorsThatCanNeedAttentionAndGoWhenTheyNoLongerDo()
    {
        var store = _app.Services.GetRequiredService<VendorStore>();
        var registry = _app.Services.GetRequiredService<VendorRegistry>();
        await store.AddManyAsync([.. Enumerable.Range(0, 300).Select(index => ($"quiet{index:000}", SampleVendors.Domestic($"株式会社静か{index:000}") with { Certifications = [] }))], "test", Token);
        var parent = await registry.CreateAsync(SampleVendors.Domestic("株式会社注意親") with { Certifications = [] }, "test", Token);
        var waiting = await registry.CreateAsync(SampleVendors.Domestic("株式会社承認待ち", parentId: parent.Id) with { Certifications = [], PriorApproval = new("requested", null, null, null) }, "test", Token);
        var expiring = await registry.CreateAsync(SampleVendors.Domestic("株式会社期限間近") with
        {
            Certifications = [new("privacymark", null, "1", DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10)), new("iso27001", null, "2", DateOnly.FromDateTime(DateTime.UtcNow).AddDays(400))],
        }, "test", Token);

        var attention = await registry.AttentionAsync(60, Token);
        Assert.Equal(new[] { expiring.Id, waiting.Id }.Order(StringComparer.Ordinal), attention.Select(item => item.VendorId).Order(StringComparer.Ordinal));
        Assert.Equal(2, await RowsAsync("a-", "a."));

        waiting = await registry.UpdateAsync(waiting.Id, waiting.ETag, waiting.Vendor with { PriorApproval = new("approved", "admin", DateTimeOffset.UtcNow, null) }, "test", Token);
        expiring = await registry.UpdateAsync(expiring.Id, expiring.ETag, expiring.Vendor with { LifecycleStatus = "terminated" }, "test", Token);

        Assert.Empty(await registry.AttentionAsync(60, Token));
        Assert.Equal(0, await RowsAsync("a-", "a."));
    }

    private async Task<int> RowsAsync(string from, string to)
    {
        var table = _app.Services.GetRequiredService<PortalStorage>().GetTable(VendorStore.TableName);
        var count = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"vendor"} and RowKey ge {from} and RowKey lt {to}"), select: ["RowKey"], cancellationToken: Token))
        {
            count++;
        }

        return count;
    }

    private static async Task<IReadOnlyList<VendorSummary>> ListedAsync(HttpClient client, string marker) =>
        (await PageAsync(client, "/api/vendors?q=" + Uri.EscapeDataString(marker))).Items;

    private static async Task<VendorPage> PageAsync(HttpClient client, string url) => (await client.GetFromJsonAsync<VendorPage>(url, Json, Token))!;

    private static int RoundTrips(string serverTiming) => int.Parse(TotalTiming().Match(serverTiming).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(?:^|, )storage;desc=""(\d+)""")]
    private static partial Regex TotalTiming();
}
