using FunctionsPortal.Audit;
using FunctionsPortal.Incidents;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsPortal.Tests.Incidents;

/// <summary>The incident timeline read from real audit records in Azurite: only the incident's own records, oldest first.</summary>
public sealed class IncidentTimelineTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Staff = "sato@our-company.example.jp";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 31, 14, 0, 0, TimeSpan.Zero));
    private AuditTrail _audit = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var storage = azurite.CreateStorage();
        await storage.GetTable(AuditTrail.TableName).CreateIfNotExistsAsync(Token);
        _audit = new AuditTrail(storage, _clock, NullLogger<AuditTrail>.Instance);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string NewVendor() => "v" + Guid.NewGuid().ToString("N")[..10];

    private async Task<AuditRecord> AppendAsync(string chain, string action, string by, string? subject, object? after = null)
    {
        _clock.Advance(TimeSpan.FromMinutes(30));
        return await _audit.AppendAsync(new AuditEntry(chain, action, by, subject, After: after), Token);
    }

    [Fact]
    public async Task OnlyTheIncidentsOwnRecordsAreListedOldestFirstWithJapaneseLabels()
    {
        var (vendor, otherVendor) = (NewVendor(), NewVendor());
        const string Incident = "inc-20260401-0a1b2c";
        const string OtherIncident = "inc-20260401-ffee00";
        await AppendAsync(vendor, AuditActions.VendorUpdated, Staff, vendor);
        var reported = await AppendAsync(vendor, IncidentTimeline.Reported, "vendor:" + vendor + "~2026", Incident, new { summary = "不正アクセス" });
        await AppendAsync(vendor, IncidentTimeline.Reported, Staff, OtherIncident);
        var document = await AppendAsync(vendor, IncidentTimeline.DocumentAdded, "vendor:" + vendor + "~2026", Incident, new { name = "経緯報告.pdf" });
        await AppendAsync(otherVendor, IncidentTimeline.Closed, Staff, Incident); // another chain: never read for this vendor
        await AppendAsync(vendor, AuditActions.CorrectiveActionsRaised, Staff, vendor + "~2026");
        await AppendAsync(vendor, IncidentTimeline.DocumentAdded, Staff, Incident + "-draft"); // a subject that only starts with the id
        var preliminary = await AppendAsync(vendor, IncidentTimeline.PreliminaryReported, Staff, Incident);
        var corrective = await AppendAsync(vendor, IncidentTimeline.CorrectiveActionOpened, Staff, Incident, new { actionId = "ca-1" });
        var unknown = await AppendAsync(vendor, "incident.scope-viewed", Staff, Incident);
        var final = await AppendAsync(vendor, IncidentTimeline.FinalReported, Staff, Incident);
        var closed = await AppendAsync(vendor, IncidentTimeline.Closed, Staff, Incident);
        await AppendAsync(vendor, IncidentTimeline.Closed, Staff, OtherIncident);

        var timeline = await IncidentTimeline.BuildAsync(_audit, vendor, Incident, Token);

        AuditRecord[] mine = [reported, document, preliminary, corrective, unknown, final, closed];
        Assert.Equal(mine.Select(record => (record.Sequence, record.At, record.By, record.Action)), timeline.Select(entry => (entry.Sequence, entry.At, entry.By, entry.Action)));
        Assert.Equal(
            ["漏えい等を受付・記録", "資料を追加", "個人情報保護委員会へ速報を提出", "本件の是正措置を起票", "incident.scope-viewed", "個人情報保護委員会へ確報を提出", "対応を完了（クローズ）"],
            timeline.Select(entry => entry.Label));
    }

    [Fact]
    public async Task AChainLongerThanOnePageIsReadToItsFirstRecord()
    {
        var vendor = NewVendor();
        const string Incident = "inc-20260402-123abc";
        var reported = await AppendAsync(vendor, IncidentTimeline.Reported, Staff, Incident);
        for (var i = 0; i < AuditTrail.MaxPageSize + 5; i++)
        {
            await AppendAsync(vendor, AuditActions.VendorUpdated, Staff, vendor);
        }

        var closed = await AppendAsync(vendor, IncidentTimeline.Closed, Staff, Incident);

        var timeline = await IncidentTimeline.BuildAsync(_audit, vendor, Incident, Token);

        Assert.Equal([reported.Sequence, closed.Sequence], timeline.Select(entry => entry.Sequence));
        Assert.Empty(await IncidentTimeline.BuildAsync(_audit, NewVendor(), Incident, Token));
    }

    [Fact]
    public void AnActionTheTimelineDoesNotNameReadsAsTheAuditTrailNamesItOrAsItself()
    {
        Assert.Equal("是正措置を起票", IncidentTimeline.Label(AuditActions.CorrectiveActionsRaised));
        Assert.Equal("incident.something-new", IncidentTimeline.Label("incident.something-new"));
    }
}
