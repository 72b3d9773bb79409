using System.Globalization;
using FunctionsPortal.Incidents;
using FunctionsPortal.Jobs;
using FunctionsPortal.Mail;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsPortal.Tests.Incidents;

/// <summary>The daily 09:00 JST run on a fake clock: each deadline reminded once per incident, day and recipient, and never after the step is recorded.</summary>
public sealed class IncidentRemindersTests(AzuriteFixture azurite) : IAsyncLifetime
{
    // Tuesday 2026-04-07, 10:00 in Japan: the preliminary report is due from 4/9 to 4/11, the final one on 5/7.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-04-07T01:00:00Z", CultureInfo.InvariantCulture));
    private readonly ScriptedMailTransport _mail = new();
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IncidentReports Reports => _app.Services.GetRequiredService<IncidentReports>();

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["Incidents:NotifyAddresses:0"] = IncidentsApiTests.PrivacyOffice }, timeProvider: _clock, configureServices: services =>
        {
            services.RemoveAll<IMailTransport>();
            services.AddSingleton<IMailTransport>(_mail);
        });
        await _app.Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task RunAtNineInJapanAsync(string day, int times = 1)
    {
        _clock.SetUtcNow(DateTimeOffset.Parse($"{day}T09:00:00+09:00", CultureInfo.InvariantCulture));
        for (var run = 0; run < times; run++)
        {
            Assert.True((await _app.Services.GetRequiredService<FunctionInvoker>().InvokeAsync(IncidentRemindersJob.FunctionName, Guid.NewGuid().ToString(), InvocationPayload.Empty, "timer", Token)).Succeeded);
        }
    }

    private List<OutgoingMail> Mails(string id, string kindPrefix) =>
        _mail.SentMails.Where(mail => mail.OutboxKey.StartsWith($"inc~{id}/{kindPrefix}", StringComparison.Ordinal)).ToList();

    private async Task<Incident> ReportAsync(long people)
    {
        var vendor = await _app.Services.GetRequiredService<VendorRegistry>().CreateAsync(SampleVendors.Domestic(), "test", Token, "vr" + Guid.NewGuid().ToString("N")[..10]);
        var result = await Reports.ReportByStaffAsync(vendor.Id, null, new IncidentReport
        {
            Summary = "サーバーへの不正アクセス", DiscoveredAt = _clock.GetUtcNow().AddHours(-2), DataCategories = ["personal"], AffectedPeople = people,
        }, "staff@our-company.example.jp", Token);
        return result.Incident!;
    }

    [Fact]
    public async Task EachDeadlineIsRemindedOncePerDayUntilItsStepIsRecorded()
    {
        var incident = await ReportAsync(people: 1500);
        var quiet = await ReportAsync(people: 10); // not reportable: no clock, no reminders

        await RunAtNineInJapanAsync("2026-04-08", times: 2);
        Assert.Empty(Mails(incident.Id, "preliminary~"));

        await RunAtNineInJapanAsync("2026-04-09", times: 3);
        Assert.Equal(2, Mails(incident.Id, "preliminary~20260409~").Count); // the privacy office and the internal owner, once each
        Assert.Contains(Mails(incident.Id, "preliminary~20260409~"), mail => mail.Subject.Contains("速報", StringComparison.Ordinal) && mail.TextBody.Contains("2026-04-11", StringComparison.Ordinal));

        await RunAtNineInJapanAsync("2026-04-10", times: 2);
        Assert.Equal(2, Mails(incident.Id, "preliminary~20260410~").Count);

        await Reports.MarkPreliminaryReportedAsync(incident.Id, null, null, "staff@our-company.example.jp", Token);
        await RunAtNineInJapanAsync("2026-04-11");
        Assert.Empty(Mails(incident.Id, "preliminary~20260411~"));

        await RunAtNineInJapanAsync("2026-05-04");
        Assert.Empty(Mails(incident.Id, "final~"));
        await RunAtNineInJapanAsync("2026-05-05", times: 2); // two days before 5/7
        Assert.Equal(2, Mails(incident.Id, "final~20260505~").Count);

        await Reports.MarkFinalReportedAsync(incident.Id, null, null, "staff@our-company.example.jp", Token);
        await RunAtNineInJapanAsync("2026-05-06");
        Assert.Empty(Mails(incident.Id, "final~20260506~"));

        Assert.Equal(2, Mails(incident.Id, "reported~").Count); // told at once, never again
        Assert.Equal(2, Mails(quiet.Id, "reported~").Count);
        Assert.Empty(Mails(quiet.Id, "preliminary~").Concat(Mails(quiet.Id, "final~")));
    }

    [Fact]
    public async Task AClosedIncidentIsNoLongerReminded()
    {
        var incident = await ReportAsync(people: 5000);
        await Reports.CloseAsync(incident.Id, incident.ETag, "staff@our-company.example.jp", Token);

        await RunAtNineInJapanAsync("2026-04-09");

        Assert.Empty(Mails(incident.Id, "preliminary~"));
    }
}
