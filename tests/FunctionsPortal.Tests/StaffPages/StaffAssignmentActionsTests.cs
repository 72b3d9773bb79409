using System.Net;
using FunctionsPortal.Auth;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.StaffPages;

/// <summary>An administrator acts on a survey's link from its page (resend, revoke, due date, cancel); a reviewer cannot.</summary>
public sealed class StaffAssignmentActionsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _app.Services;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        await Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static async Task<string> BodyAsync(Task<HttpResponseMessage> posting)
    {
        using var response = await posting;
        return await response.Content.ReadAsStringAsync(Token);
    }

    [Fact]
    public async Task AnAdministratorResendsRevokesMovesTheDueDateAndCancels()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        using var admin = _app.CreateStaffClient(StaffRoles.Admin, "admin@our-company.example.jp");
        using var vendor = _app.CreateClient();
        var url = $"/staff/assignments/{Uri.EscapeDataString(invited.Assignment.Key)}";
        var page = await PageAsync(admin, url);
        var store = Services.GetRequiredService<AssignmentStore>();

        var resent = await BodyAsync(PostPageFormAsync(admin, page, url + "/resend", []));
        var pastDate = await BodyAsync(PostPageFormAsync(admin, page, url + "/due-date", [("dueOn", "2020-01-01"), ("reason", "")]));
        var newDue = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(45);
        var moved = await BodyAsync(PostPageFormAsync(admin, page, url + "/due-date", [("dueOn", newDue.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), ("reason", "繁忙期のため")]));
        var revoked = await BodyAsync(PostPageFormAsync(admin, page, url + "/revoke-link", []));
        using var vendorAfterRevoke = await vendor.GetAsync(invited.Url("/"), Token);
        var noReason = await BodyAsync(PostPageFormAsync(admin, page, url + "/cancel", [("reason", " ")]));
        var cancelled = await BodyAsync(PostPageFormAsync(admin, page, url + "/cancel", [("reason", "契約終了のため")]));
        var assignment = (await store.FindAsync(invited.Assignment.Key, Token))!;
        var queued = (await Services.GetRequiredService<FunctionsPortal.Storage.PortalStorage>().GetQueue(SurveyMailRequests.QueueName).PeekMessagesAsync(32, Token)).Value;

        Assert.Contains("新しいリンクを送信待ちにしました", resent, StringComparison.Ordinal);
        Assert.Contains(queued, message => message.Body.ToString().Contains("resend-1", StringComparison.Ordinal));
        Assert.Contains("明日以降の日付", pastDate, StringComparison.Ordinal);
        Assert.Contains("回答期限を変更しました", moved, StringComparison.Ordinal);
        Assert.Contains("リンクを無効にしました", revoked, StringComparison.Ordinal);
        Assert.DoesNotContain(invited.VendorId, await vendorAfterRevoke.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Contains("取り消す理由を記入してください", noReason, StringComparison.Ordinal);
        Assert.Contains("調査を取り消し", cancelled, StringComparison.Ordinal);
        Assert.DoesNotContain("新しいリンクを送る", cancelled, StringComparison.Ordinal); // nothing left to act on
        Assert.Equal(AssignmentStatus.Cancelled, assignment.Status);
        Assert.Equal(newDue, assignment.DueOn);
        Assert.Contains(assignment.History, change => change.Note?.Contains("繁忙期のため", StringComparison.Ordinal) == true && change.By == "admin@our-company.example.jp");
    }

    [Fact]
    public async Task ResendAndRevokeWithoutTheFormsAntiforgeryTokenAreRefusedAndChangeNothing()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        using var admin = _app.CreateStaffClient(StaffRoles.Admin, "admin@our-company.example.jp");
        var url = $"/staff/assignments/{Uri.EscapeDataString(invited.Assignment.Key)}";
        await PageAsync(admin, url); // the antiforgery cookie is set; a forged post has no token to go with it

        using var resend = await admin.PostAsync(url + "/resend", new FormUrlEncodedContent([]), Token);
        using var revoke = await admin.PostAsync(url + "/revoke-link", new FormUrlEncodedContent([]), Token);
        using var vendor = _app.CreateClient();
        using var stillOpens = await vendor.GetAsync(invited.Url("/"), Token);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, resend.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, revoke.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, stillOpens.StatusCode);
        Assert.Equal(invited.Assignment.CurrentLinkHash ?? (await Services.GetRequiredService<AssignmentStore>().FindAsync(invited.Assignment.Key, Token))!.CurrentLinkHash,
            (await Services.GetRequiredService<AssignmentStore>().FindAsync(invited.Assignment.Key, Token))!.CurrentLinkHash);
    }

    [Fact]
    public async Task AReviewerSeesNoLinkActionsAndIsRefusedThem()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        using var reviewer = _app.CreateStaffClient(StaffRoles.Reviewer);
        var url = $"/staff/assignments/{Uri.EscapeDataString(invited.Assignment.Key)}";
        var page = await PageAsync(reviewer, url);

        using var revoke = await PostPageFormAsync(reviewer, page, url + "/revoke-link", []);
        using var cancel = await PostPageFormAsync(reviewer, page, url + "/cancel", [("reason", "x")]);

        Assert.DoesNotContain("リンクを無効にする", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, cancel.StatusCode);
        Assert.Equal(AssignmentStatus.Invited, (await Services.GetRequiredService<AssignmentStore>().FindAsync(invited.Assignment.Key, Token))!.Status);
    }
}
