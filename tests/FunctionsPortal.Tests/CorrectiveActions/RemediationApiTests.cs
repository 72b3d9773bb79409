using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FunctionsPortal.Audit;
using FunctionsPortal.Auth;
using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Evidence;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.CorrectiveActions;

/// <summary>
/// Staff decide on a vendor's remediation and on residual risks over the API and on the staff page: verify (the task is
/// completed through every task outbox), send back, accept a risk until a date, refuse it — each in the right status only.
/// </summary>
public sealed class RemediationApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly RecordingTaskOutbox _outbox = new();

    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _app.Services;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite, configureServices: services => services.AddSingleton<IActionTaskOutbox>(_outbox));
        await Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static DateOnly TodayInJapan => DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(9)).DateTime);

    private async Task<CorrectiveAction> SubmittedAsync(CorrectiveAction open)
    {
        await using var pdf = new MemoryStream(SurveyScenario.Pdf("fix"));
        var upload = await Services.GetRequiredService<EvidenceStore>().StoreAsync(open.AssignmentKey, $"ca-{open.Id}", "fix.pdf", pdf, 0, Token);
        var outcome = await Services.GetRequiredService<RemediationSubmissions>().SubmitAsync(open.VendorId, open.Id, "対応しました。", [upload.File!], Token);
        Assert.Equal(RemediationSubmitResult.Submitted, outcome.Result);
        return outcome.Action!;
    }

    private async Task<IReadOnlyList<AuditRecord>> AuditAsync(string vendorId) =>
        (await Services.GetRequiredService<AuditTrail>().ListAsync(vendorId, 100, null, Token)).Records;

    [Fact]
    public async Task VerifyingARemediationClosesTheActionAndCompletesItsTaskOnce()
    {
        var (invited, open, _) = await ActionScenario.AcceptedWithFindingsAsync(Services, Token);
        using var staff = _app.CreateStaffClient(StaffRoles.Reviewer, "reviewer@our-company.example.jp");

        using var tooEarly = await staff.PostAsync($"/api/corrective-actions/{open.Id}/verify", null, Token);
        await SubmittedAsync(open);
        using var verified = await staff.PostAsync($"/api/corrective-actions/{open.Id}/verify", null, Token);
        var action = await verified.Content.ReadFromJsonAsync<CorrectiveAction>(Json, Token);
        using var again = await staff.PostAsync($"/api/corrective-actions/{open.Id}/verify", null, Token);
        using var unknown = await staff.PostAsync($"/api/corrective-actions/{invited.VendorId}.0000abcd/verify", null, Token);
        using var returnLate = await staff.PostAsJsonAsync($"/api/corrective-actions/{open.Id}/return", new { message = "遅すぎる差し戻し" }, Token);
        using var anonymous = await _app.CreateClient().PostAsync($"/api/corrective-actions/{open.Id}/verify", null, Token);
        var audit = await AuditAsync(invited.VendorId);

        Assert.Equal(HttpStatusCode.Conflict, tooEarly.StatusCode);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Equal(ActionStatuses.Verified, action!.Status);
        Assert.Equal("reviewer@our-company.example.jp", action.Remediation!.VerifiedBy);
        Assert.NotNull(action.Remediation.VerifiedAt);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode); // a repeated click changes nothing
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, returnLate.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains(open.Id, _outbox.Completed);
        Assert.Single(audit, record => record.Action == AuditActions.RemediationVerified && record.Subject == open.Id);
        Assert.DoesNotContain(audit, record => record.Action == AuditActions.RemediationReturned);
    }

    [Fact]
    public async Task SendingBackNeedsAMessageTheVendorThenReads()
    {
        var (invited, open, _) = await ActionScenario.AcceptedWithFindingsAsync(Services, Token);
        using var staff = _app.CreateStaffClient(StaffRoles.Reviewer);
        await SubmittedAsync(open);

        using var noMessage = await staff.PostAsJsonAsync($"/api/corrective-actions/{open.Id}/return", new { message = " " }, Token);
        using var returned = await staff.PostAsJsonAsync($"/api/corrective-actions/{open.Id}/return", new { message = "設定画面の写しが不鮮明です。" }, Token);
        var action = await returned.Content.ReadFromJsonAsync<CorrectiveAction>(Json, Token);

        Assert.Equal(HttpStatusCode.BadRequest, noMessage.StatusCode);
        Assert.Equal(HttpStatusCode.OK, returned.StatusCode);
        Assert.Equal((ActionStatuses.Returned, "設定画面の写しが不鮮明です。"), (action!.Status, action.ReturnedMessage));
        Assert.Contains(await AuditAsync(invited.VendorId), record => record.Action == AuditActions.RemediationReturned && record.Subject == open.Id);
        Assert.DoesNotContain(open.Id, _outbox.Completed);
    }

    [Fact]
    public async Task AResidualRiskIsAcceptedUntilADateOrRefusedWithAReason()
    {
        var (first, _, risk) = await ActionScenario.AcceptedWithFindingsAsync(Services, Token);
        var (second, _, otherRisk) = await ActionScenario.AcceptedWithFindingsAsync(Services, Token);
        using var staff = _app.CreateStaffClient(StaffRoles.Reviewer, "manager@our-company.example.jp");

        using var noReason = await staff.PostAsJsonAsync($"/api/corrective-actions/{risk.Id}/accept-risk", new { reason = "" }, Token);
        using var pastDate = await staff.PostAsJsonAsync($"/api/corrective-actions/{risk.Id}/accept-risk", new { reason = "閉域網", until = TodayInJapan }, Token);
        using var accepted = await staff.PostAsJsonAsync($"/api/corrective-actions/{risk.Id}/accept-risk", new { reason = "閉域網のみで運用しており影響が限定的" }, Token);
        var acceptedAction = await accepted.Content.ReadFromJsonAsync<CorrectiveAction>(Json, Token);
        using var refuseAfterAccept = await staff.PostAsJsonAsync($"/api/corrective-actions/{risk.Id}/refuse-risk", new { reason = "やはり不可" }, Token);
        var until = TodayInJapan.AddDays(30);
        using var refused = await staff.PostAsJsonAsync($"/api/corrective-actions/{otherRisk.Id}/refuse-risk", new { reason = "外部接続があるため受容できません。更新をお願いします。" }, Token);
        var refusedAction = await refused.Content.ReadFromJsonAsync<CorrectiveAction>(Json, Token);
        using var acceptAfterRefuse = await staff.PostAsJsonAsync($"/api/corrective-actions/{otherRisk.Id}/accept-risk", new { reason = "x", until }, Token);

        Assert.Equal(ActionStatuses.RiskReview, risk.Status);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, pastDate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(ActionStatuses.RiskAccepted, acceptedAction!.Status);
        Assert.Equal(("manager@our-company.example.jp", "閉域網のみで運用しており影響が限定的"), (acceptedAction.RiskAcceptance!.By, acceptedAction.RiskAcceptance.Reason));
        Assert.Equal(TodayInJapan.AddDays(365), acceptedAction.RiskAcceptance.Until); // CorrectiveActions:RiskAcceptanceDays
        Assert.Contains(risk.Id, _outbox.Completed);
        Assert.Contains(await AuditAsync(first.VendorId), record => record.Action == AuditActions.RiskAccepted && record.Subject == risk.Id);
        Assert.Equal(HttpStatusCode.Conflict, refuseAfterAccept.StatusCode);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal((ActionStatuses.Open, "外部接続があるため受容できません。更新をお願いします。"), (refusedAction!.Status, refusedAction.ReturnedMessage));
        Assert.Contains(await AuditAsync(second.VendorId), record => record.Action == AuditActions.RiskAcceptanceRefused && record.Subject == otherRisk.Id);
        Assert.DoesNotContain(otherRisk.Id, _outbox.Completed);
        Assert.Equal(HttpStatusCode.Conflict, acceptAfterRefuse.StatusCode);
    }

    [Fact]
    public async Task TheStaffPageShowsTheRemediationAndMakesTheDecisions()
    {
        var (_, open, risk) = await ActionScenario.AcceptedWithFindingsAsync(Services, Token);
        await SubmittedAsync(open);
        using var staff = _app.CreateStaffClient(StaffRoles.Reviewer, "reviewer@our-company.example.jp");
        var url = $"/staff/actions/{open.Id}";

        var page = await PageAsync(staff, url);
        using var file = await staff.GetAsync($"{url}/files/{(await Services.GetRequiredService<CorrectiveActionStore>().FindAsync(open.Id, Token))!.Remediation!.Files[0].Id}", Token);
        using var seal = await staff.GetAsync($"{url}/remediations/1", Token);
        var noMessage = await (await PostPageFormAsync(staff, page, url + "/return", [("message", "")])).Content.ReadAsStringAsync(Token);
        var verified = await (await PostPageFormAsync(staff, page, url + "/verify", [])).Content.ReadAsStringAsync(Token);
        var riskPage = await PageAsync(staff, $"/staff/actions/{risk.Id}");
        var accepted = await (await PostPageFormAsync(staff, riskPage, $"/staff/actions/{risk.Id}/accept-risk",
            [("reason", "影響が限定的"), ("until", TodayInJapan.AddDays(90).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))])).Content.ReadAsStringAsync(Token);
        using var withoutToken = await PostPageFormAsync(staff, page, url + "/verify", [], withAntiforgery: false);
        using var missing = await staff.GetAsync($"/staff/actions/{open.VendorId}.0000abcd", Token);

        Assert.Contains("対応しました。", page, StringComparison.Ordinal);
        Assert.Contains("✓ 検証済み", page, StringComparison.Ordinal);
        Assert.Contains("是正を確認する", page, StringComparison.Ordinal);
        Assert.Contains("差し戻す", page, StringComparison.Ordinal);
        Assert.Contains(ActionScenario.PlannedItem, page, StringComparison.Ordinal);
        Assert.Contains("USB制御ソフトを導入する", page, StringComparison.Ordinal); // the vendor's plan
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(SurveyScenario.Pdf("fix"), await file.Content.ReadAsByteArrayAsync(Token));
        Assert.Equal(HttpStatusCode.OK, seal.StatusCode);
        Assert.Contains("差し戻しの理由", noMessage, StringComparison.Ordinal);
        Assert.Contains("是正を確認済みにし", verified, StringComparison.Ordinal);
        Assert.Contains("是正確認済み", verified, StringComparison.Ordinal);
        Assert.Contains("リスクを受容する", riskPage, StringComparison.Ordinal);
        Assert.Contains("残存リスクを受容し", accepted, StringComparison.Ordinal);
        Assert.Equal(TodayInJapan.AddDays(90), (await Services.GetRequiredService<CorrectiveActionStore>().FindAsync(risk.Id, Token))!.RiskAcceptance!.Until);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains(open.Id, _outbox.Completed);
    }
}
