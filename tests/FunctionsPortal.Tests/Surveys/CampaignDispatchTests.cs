using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using FunctionsPortal.Auth;
using FunctionsPortal.Checklists;
using FunctionsPortal.Jobs;
using FunctionsPortal.Mail;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Surveys;

/// <summary>A campaign end to end on the local default: planning, fan-out through the queue, the local outbox, the link.</summary>
public sealed partial class CampaignDispatchTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _outboxDirectory = Path.Combine(Path.GetTempPath(), "fp-outbox-" + Guid.NewGuid().ToString("N"));
    private PortalApplication _app = null!;
    private HttpClient _admin = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite, settings: new Dictionary<string, string?>
        {
            ["Jobs:RunInProcess"] = "true",
            ["Mail:LocalOutboxDirectory"] = _outboxDirectory,
            ["Surveys:PortalBaseUrl"] = "http://portal.test",
        });
        _admin = _app.CreateStaffClient(StaffRoles.Admin);
        await _app.Services.WhenStorageReadyAsync();
        await _app.Services.GetRequiredService<DefaultChecklistsSeeder>().SeedAsync(Token);
        var store = _app.Services.GetRequiredService<VendorStore>();
        foreach (var i in Enumerable.Range(1, 3))
        {
            await store.AddAsync($"vendor-{i}", SampleVendors.Domestic($"株式会社配信{i}") with { ResponsibleOfficer = new Person($"受任 {i}", "部長", $"officer{i}@vendor.example.jp") }, "test", Token);
        }

        // An old record without a usable address (the registry's validation would refuse it today).
        await store.AddAsync("vendor-bad-mail", SampleVendors.Domestic("株式会社宛先不明") with { ResponsibleOfficer = new Person("受任 不明", "部長", "not an address") }, "test", Token);
    }

    private static CampaignRequest Request() => new("FY2026 年次書面調査", SurveyKinds.Annual, "annual-full", 1, null, 30, new CampaignTarget());

    private Task<IReadOnlyList<LocalMail>> WaitForMailsAsync(int count) => Eventually.ValueAsync(
        () => _app.Services.GetRequiredService<LocalOutboxTransport>().ListAsync(100, Token),
        mails => mails.Count >= count,
        mails => $"{count} mails in the local outbox (saw {mails.Count})",
        TimeSpan.FromSeconds(30), cancellationToken: Token);

    /// <summary>A mail is in the outbox a moment before its assignment is recorded as invited: wait for that too.</summary>
    private Task WaitForInvitedAsync(int count) => Eventually.ValueAsync(
        () => _app.Services.GetRequiredService<AssignmentStore>().ListAsync(new AssignmentQuery(Status: AssignmentStatus.Invited), Token),
        invited => invited.Count >= count,
        invited => $"{count} assignments recorded as invited (saw {invited.Count})",
        TimeSpan.FromSeconds(30), cancellationToken: Token);

    [Fact]
    public async Task ADryRunListsRecipientsAndTheirProblemsWithoutCreatingAnything()
    {
        using var response = await _admin.PostAsJsonAsync("/api/campaigns?dryRun=true", Request(), Json, Token);
        var preview = await response.Content.ReadFromJsonAsync<CampaignPreview>(Json, Token);
        var assignments = await _app.Services.GetRequiredService<AssignmentStore>().ListAsync(new AssignmentQuery(), Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((4, 1), (preview!.Recipients, preview.WithProblems));
        Assert.Contains("no valid e-mail", preview.Vendors.Single(vendor => vendor.VendorId == "vendor-bad-mail").Problem, StringComparison.Ordinal);
        Assert.Empty(assignments);
    }

    [Fact]
    public async Task EveryReachableVendorGetsExactlyOneInvitationAndTheOneWithoutAnAddressShowsWhy()
    {
        using var launched = await _admin.PostAsJsonAsync("/api/campaigns", Request(), Json, Token);
        var launch = await launched.Content.ReadFromJsonAsync<CampaignLaunch>(Json, Token);
        using var doubleClick = await _admin.PostAsJsonAsync("/api/campaigns", Request(), Json, Token);
        var mails = await WaitForMailsAsync(3);
        // Planning again (a second timer run) changes nothing.
        var invoker = _app.Services.GetRequiredService<FunctionInvoker>();
        await invoker.InvokeAsync(PlanSurveysJob.FunctionName, "again-1", InvocationPayload.Empty, "timer", Token);
        await invoker.InvokeAsync(PlanSurveysJob.FunctionName, "again-2", InvocationPayload.Empty, "timer", Token);
        await Task.Delay(1500, Token);
        var assignments = await _app.Services.GetRequiredService<AssignmentStore>().ListAsync(new AssignmentQuery(Cycle: launch!.Campaign.Id), Token);

        Assert.Equal(HttpStatusCode.Created, launched.StatusCode);
        Assert.Equal(4, launch.Report.Created);
        Assert.Equal(launch.Campaign.Id, (await doubleClick.Content.ReadFromJsonAsync<CampaignLaunch>(Json, Token))!.Campaign.Id);
        Assert.Single(await _app.Services.GetRequiredService<CampaignStore>().ListAsync(activeOnly: false, Token));
        Assert.Equal(3, (await WaitForMailsAsync(3)).Count);
        Assert.Equal(["officer1@vendor.example.jp", "officer2@vendor.example.jp", "officer3@vendor.example.jp"], mails.Select(mail => Regex.Match(mail.To, @"<(.+)>").Groups[1].Value).Order());
        Assert.All(assignments.Where(assignment => assignment.VendorId != "vendor-bad-mail"), assignment => Assert.Equal(AssignmentStatus.Invited, assignment.Status));
        var stuck = assignments.Single(assignment => assignment.VendorId == "vendor-bad-mail");
        Assert.Equal(AssignmentStatus.Scheduled, stuck.Status);
        Assert.NotNull(stuck.RecipientProblem);
        Assert.True((await _app.Services.GetRequiredService<ChecklistLibrary>().InfoAsync("annual-full", 1, Token))!.Used);
        Assert.Equal(3, Directory.EnumerateFiles(_outboxDirectory, "*.eml").Count());
    }

    [Fact]
    public async Task TheInvitationIsBilingualAndItsLinkOpensTheSurveyOnce()
    {
        await _admin.PostAsJsonAsync("/api/campaigns", Request(), Json, Token);
        var mail = (await WaitForMailsAsync(3))[0];
        await WaitForInvitedAsync(3);
        var link = LinkPattern().Match(mail.TextBody).Value;
        using var anonymous = _app.CreateClient();

        using var landing = await anonymous.GetAsync(new Uri(link).PathAndQuery, Token);
        var page = await landing.Content.ReadAsStringAsync(Token);
        var assignment = (await _app.Services.GetRequiredService<AssignmentStore>().ListAsync(new AssignmentQuery(Status: AssignmentStatus.Opened), Token)).Single();
        var session = (await _app.Services.GetRequiredService<FunctionsPortal.Responses.VendorSessions>().LoadAsync(link[(link.LastIndexOf('/') + 1)..], Token)).Session!;
        var questions = session.VisibleSections().Sum(section => section.Items.Count);

        Assert.StartsWith("【ご依頼】", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("Request:", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("個人情報保護法", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Act on the Protection of Personal Information", mail.TextBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        Assert.Contains("no-store", landing.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Contains("年次書面調査（全項目）", page, StringComparison.Ordinal);
        Assert.InRange(questions, 20, 79); // the full checklist, less what cannot apply to this vendor
        Assert.Contains($"<dd id=\"question-count\">{questions}問", page, StringComparison.Ordinal);
        Assert.Contains(assignment.VendorId, mail.OutboxKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AResendSupersedesTheOldLinkAndTheOldLinkSaysSoWithoutShowingAnything()
    {
        var launch = await (await _admin.PostAsJsonAsync("/api/campaigns", Request(), Json, Token)).Content.ReadFromJsonAsync<CampaignLaunch>(Json, Token);
        var first = (await WaitForMailsAsync(3)).Single(mail => mail.To.Contains("officer1@", StringComparison.Ordinal));
        var key = AssignmentKey.For(launch!.Campaign.Id, "vendor-1", SurveyKinds.Annual);

        using var resend = await _admin.PostAsync($"/api/assignments/{key}/resend", null, Token);
        var second = (await WaitForMailsAsync(4)).First(mail => mail.To.Contains("officer1@", StringComparison.Ordinal) && mail.Id != first.Id);
        using var anonymous = _app.CreateClient();
        using var oldLink = await anonymous.GetAsync(new Uri(LinkPattern().Match(first.TextBody).Value).PathAndQuery, Token);
        using var newLink = await anonymous.GetAsync(new Uri(LinkPattern().Match(second.TextBody).Value).PathAndQuery, Token);
        using var unknown = await anonymous.GetAsync("/v/AAAAAAAAAAAAAAAAAAAAAAAA", Token);
        var oldPage = await oldLink.Content.ReadAsStringAsync(Token);
        var details = await _admin.GetFromJsonAsync<AssignmentDetails>($"/api/assignments/{key}", Json, Token);

        Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, oldLink.StatusCode);
        Assert.Contains("新しいリンク", oldPage, StringComparison.Ordinal);
        Assert.DoesNotContain("株式会社配信1", oldPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, newLink.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(["invitation", "resend-1"], details!.Mails.Select(mail => mail.Kind).Order(StringComparer.Ordinal));
        Assert.All(details.Mails, mail => Assert.Equal(MailStates.Sent, mail.State));
    }

    [Fact]
    public async Task StaffCanCancelAnAssignmentAndMoveADueDate()
    {
        var launch = await (await _admin.PostAsJsonAsync("/api/campaigns", Request(), Json, Token)).Content.ReadFromJsonAsync<CampaignLaunch>(Json, Token);
        await WaitForMailsAsync(3);
        var first = AssignmentKey.For(launch!.Campaign.Id, "vendor-1", SurveyKinds.Annual);
        var second = AssignmentKey.For(launch.Campaign.Id, "vendor-2", SurveyKinds.Annual);

        using var cancelled = await _admin.PostAsJsonAsync($"/api/assignments/{first}/cancel", new ReasonRequest("Contract ended"), Json, Token);
        using var cancelAgain = await _admin.PostAsJsonAsync($"/api/assignments/{first}/cancel", new ReasonRequest("again"), Json, Token);
        using var moved = await _admin.PutAsJsonAsync($"/api/assignments/{second}/due-date", new DueDateRequest(launch.Campaign.DueOn.AddDays(14), "Vendor asked for two more weeks"), Json, Token);
        using var past = await _admin.PutAsJsonAsync($"/api/assignments/{second}/due-date", new DueDateRequest(new DateOnly(2020, 1, 1), null), Json, Token);
        var after = await moved.Content.ReadFromJsonAsync<Assignment>(Json, Token);

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cancelAgain.StatusCode); // already cancelled: no change
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(launch.Campaign.DueOn.AddDays(14), after!.DueOn);
        Assert.Contains(after.History, change => change.Note!.Contains("two more weeks", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
    }

    [GeneratedRegex(@"http://portal\.test/v/[A-Za-z0-9_-]+")]
    private static partial Regex LinkPattern();

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _app.DisposeAsync();
        if (Directory.Exists(_outboxDirectory))
        {
            Directory.Delete(_outboxDirectory, recursive: true);
        }
    }
}
