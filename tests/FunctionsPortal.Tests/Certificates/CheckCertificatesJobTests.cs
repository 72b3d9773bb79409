using FunctionsPortal.Certificates;
using FunctionsPortal.Jobs;
using FunctionsPortal.Mail;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsPortal.Tests.Certificates;

/// <summary>The daily check on a fake clock: the vendor is asked for the renewed certificate and the internal owner hears, once each, 60 days before a certificate expires, and again only for a new expiry.</summary>
public sealed class CheckCertificatesJobTests(AzuriteFixture azurite) : IAsyncLifetime
{
    // 09:30 in Japan on 10 January 2027.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2027, 1, 10, 0, 30, 0, TimeSpan.Zero));
    private readonly ScriptedMailTransport _mail = new();
    private PortalApplication _app = null!;

    private static readonly DateOnly Today = new(2027, 1, 10);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private VendorRegistry Registry => _app.Services.GetRequiredService<VendorRegistry>();

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite, timeProvider: _clock, configureServices: services =>
        {
            services.RemoveAll<IMailTransport>();
            services.AddSingleton<IMailTransport>(_mail);
        });
        await _app.Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task RunAsync() =>
        Assert.True((await _app.Services.GetRequiredService<FunctionInvoker>().InvokeAsync(CheckCertificatesJob.FunctionName, Guid.NewGuid().ToString(), InvocationPayload.Empty, "timer", Token)).Succeeded);

    private async Task<string> CreateAsync(string name, string lifecycle = "active", params Certification[] certifications) =>
        (await Registry.CreateAsync(SampleVendors.Domestic(name) with { Certifications = certifications, LifecycleStatus = lifecycle }, "test", Token, "vc" + Guid.NewGuid().ToString("N")[..10])).Id;

    private List<OutgoingMail> MailsOf(string vendorId) =>
        _mail.SentMails.Where(mail => mail.OutboxKey.StartsWith(CertificateMailComposer.OwnerOf(vendorId) + "/", StringComparison.Ordinal)).ToList();

    private List<OutgoingMail> RequestsTo(string vendorId) =>
        _mail.SentMails.Where(mail => mail.OutboxKey.StartsWith(CertificateMailComposer.VendorOf(vendorId) + "/", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task TheOwnerIsWarnedOnceSixtyDaysBeforeAndAgainOnlyForARenewedCertificate()
    {
        var sixty = await CreateAsync("株式会社六十日前", certifications: new Certification("privacymark", "プライバシーマーク", "10800000(01)", Today.AddDays(60)));
        var sixtyOne = await CreateAsync("株式会社六十一日前", certifications: new Certification("iso27001", null, "IS 1", Today.AddDays(61)));
        var unknown = await CreateAsync("株式会社期限不明", certifications: new Certification("privacymark", null, "1", null));
        var terminated = await CreateAsync("株式会社終了済み", "terminated", new Certification("privacymark", null, "2", Today.AddDays(30)));
        var two = await CreateAsync("株式会社二つの認証", certifications: [new Certification("iso27001", null, "IS 2", Today.AddDays(30)), new Certification("privacymark", null, "3", Today.AddDays(800))]);

        await RunAsync();
        await RunAsync();
        var first = MailsOf(sixty);
        var firstRequests = RequestsTo(sixty);
        var beforeItsDay = MailsOf(sixtyOne).Count;

        _clock.Advance(TimeSpan.FromDays(1));
        await RunAsync();
        var renewed = (await Registry.RecordAsync(sixty, Token))!;
        await Registry.UpdateAsync(sixty, renewed.ETag, renewed.Vendor with { Certifications = [renewed.Vendor.Certifications[0] with { ExpiresOn = Today.AddDays(59 + 365) }] }, "staff", Token);
        await RunAsync();
        _clock.Advance(TimeSpan.FromDays(365));
        await RunAsync();

        var warning = Assert.Single(first);
        Assert.Equal("owner@our-company.example.jp", warning.To.Address);
        Assert.Contains("認証期限", warning.Subject, StringComparison.Ordinal);
        Assert.Contains("2027年3月11日", warning.TextBody, StringComparison.Ordinal);
        Assert.Contains($"/staff/vendors/{sixty}", warning.TextBody, StringComparison.Ordinal);
        Assert.Equal(0, beforeItsDay);
        Assert.Single(MailsOf(sixtyOne));
        Assert.Empty(MailsOf(unknown));
        Assert.Empty(MailsOf(terminated));
        Assert.Contains("iso27001~", Assert.Single(MailsOf(two)).OutboxKey, StringComparison.Ordinal);
        Assert.Equal(2, MailsOf(sixty).Count); // the renewed certificate, a year later: its own warning

        // The vendor's responsible officer is asked for the renewed certificate, as often as the owner is warned.
        var request = Assert.Single(firstRequests);
        var officer = (await Registry.RecordAsync(sixty, Token))!.Vendor.ResponsibleOfficer;
        Assert.Equal(officer.Email, request.To.Address);
        Assert.Contains("更新後の認証書", request.Subject, StringComparison.Ordinal);
        Assert.Contains("株式会社六十日前", request.TextBody, StringComparison.Ordinal);
        Assert.Contains("いつもお世話になっております。", request.TextBody, StringComparison.Ordinal);
        Assert.Contains("ご提出", request.TextBody, StringComparison.Ordinal);
        Assert.Contains("2027年3月11日", request.TextBody, StringComparison.Ordinal);
        Assert.Contains("privacy@our-company.example.jp", request.TextBody, StringComparison.Ordinal);
        Assert.Single(RequestsTo(sixtyOne));
        Assert.Empty(RequestsTo(unknown));
        Assert.Empty(RequestsTo(terminated));
        Assert.Equal(2, RequestsTo(sixty).Count);
    }
}
