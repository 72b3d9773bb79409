using System.Globalization;
using FunctionsPortal.Incidents;
using FunctionsPortal.Storage;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Incidents;

/// <summary>The incidents table (through the app's counted storage clients): round trips, the open index kept in the same transaction, ETag guards, and reads by key or range only.</summary>
public sealed class IncidentStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly PortalApplication _app = new(azurite);
    private IncidentStore _store = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _app.Services.WhenStorageReadyAsync();
        _store = _app.Services.GetRequiredService<IncidentStore>();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    internal static Incident Sample(string vendorId, string id) => new(
        id, vendorId,
        new IncidentReport
        {
            Summary = "顧客リストを誤送信しました。", DiscoveredAt = DateTimeOffset.Parse("2026-05-01T09:00:00+09:00", CultureInfo.InvariantCulture),
            DataCategories = ["personal"], AffectedPeople = 1200, Cause = "宛先の確認漏れ",
        },
        IncidentChannels.Staff, "staff@our-company.example.jp", DateTimeOffset.Parse("2026-05-01T03:00:00Z", CultureInfo.InvariantCulture),
        DateTimeOffset.Parse("2026-05-01T03:00:00Z", CultureInfo.InvariantCulture), null, IncidentStatuses.Open, null, null, null,
        [], new IncidentSeal(new string('a', 64), "HMAC-SHA256", "v1", new string('b', 64), $"incidents/{id}.json"), "");

    private static string NewId() => $"inc-20260501-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}";

    [Fact]
    public async Task AnIncidentRoundTripsAndIsFoundByOnePointRead()
    {
        var id = NewId();
        var added = await _store.TryAddAsync(Sample("vendor-a", id), Token);

        using var scope = StorageOperationScope.Begin();
        var found = await _store.FindAsync(id, Token);

        Assert.Equal((1L, 1L), (scope.Total, scope.Count(StorageOperationKind.PointRead)));
        Assert.NotNull(found);
        Assert.Equal(added!.ETag, found.ETag);
        Assert.Equal("\"1\"", found.ETag);
        Assert.Equal(("顧客リストを誤送信しました。", 1200L, "宛先の確認漏れ"), (found.Report.Summary, found.Report.AffectedPeople!.Value, found.Report.Cause!));
        Assert.Null(await _store.TryAddAsync(Sample("vendor-a", id), Token)); // an id is never reused
    }

    [Fact]
    public async Task TheOpenListAndAVendorsListAreOneQueryEachAndClosingLeavesTheOpenList()
    {
        var (first, second, other) = (NewId(), NewId(), NewId());
        await _store.TryAddAsync(Sample("vendor-a", first), Token);
        await _store.TryAddAsync(Sample("vendor-a", second), Token);
        await _store.TryAddAsync(Sample("vendor-ab", other), Token); // a vendor id that extends the first must not leak into its list

        var closed = await _store.UpdateAsync(first, "\"1\"", incident => incident with { Status = IncidentStatuses.Closed, ClosedAt = incident.ReportedAt }, Token);

        using (var scope = StorageOperationScope.Begin())
        {
            var open = await _store.ListOpenAsync(Token);
            Assert.Equal((1L, 1L, 0L), (scope.Total, scope.Count(StorageOperationKind.Query), scope.Count(StorageOperationKind.Scan)));
            Assert.Equal(new[] { second, other }.Order(StringComparer.Ordinal), open.Select(incident => incident.Id).Order(StringComparer.Ordinal));
        }

        using (var scope = StorageOperationScope.Begin())
        {
            var vendors = await _store.ListForVendorAsync("vendor-a", Token);
            Assert.Equal((1L, 1L, 0L), (scope.Total, scope.Count(StorageOperationKind.Query), scope.Count(StorageOperationKind.Scan)));
            Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), vendors.Select(incident => incident.Id).Order(StringComparer.Ordinal));
            Assert.Equal([IncidentStatuses.Closed, IncidentStatuses.Open], vendors.OrderBy(incident => incident.Id == first ? 0 : 1).Select(incident => incident.Status));
        }

        Assert.Equal((IncidentUpdateStatus.Changed, "\"2\""), (closed.Status, closed.Incident!.ETag));
    }

    [Fact]
    public async Task AChangeFromAStaleETagIsRefusedAndNothingChanges()
    {
        var id = NewId();
        await _store.TryAddAsync(Sample("vendor-a", id), Token);
        await _store.UpdateAsync(id, "\"1\"", incident => incident with { PreliminaryReportedAt = incident.ReportedAt }, Token);

        var stale = await _store.UpdateAsync(id, "\"1\"", incident => incident with { Status = IncidentStatuses.Closed }, Token);
        var unchanged = await _store.UpdateAsync(id, null, _ => null, Token);
        var missing = await _store.UpdateAsync("inc-20260501-000000", null, incident => incident, Token);

        Assert.Equal(IncidentUpdateStatus.Conflict, stale.Status);
        Assert.Equal(IncidentUpdateStatus.Unchanged, unchanged.Status);
        Assert.Equal(IncidentUpdateStatus.NotFound, missing.Status);
        var stored = (await _store.FindAsync(id, Token))!;
        Assert.Equal((IncidentStatuses.Open, "\"2\""), (stored.Status, stored.ETag));
        Assert.Contains(await _store.ListOpenAsync(Token), incident => incident.Id == id && incident.ETag == "\"2\"" && incident.PreliminaryReportedAt is not null);
    }
}
