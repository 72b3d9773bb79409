using System.Net;
using FunctionsPortal.Auth;
using FunctionsPortal.Checklists;
using FunctionsPortal.Responses;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.StaffPages;

/// <summary>A reviewer's page for one survey: only what changed since last cycle by default, a fresh verification, and the decisions.</summary>
public sealed class StaffReviewPageTests(AzuriteFixture azurite) : IAsyncLifetime
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

    private HttpClient Reviewer()
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add(StaffAuthenticationHandler.DevelopmentHeader, $"reviewer@our-company.example.jp; {StaffRoles.Reviewer}");
        return client;
    }

    /// <summary>Completes the draft (○ everywhere), applies <paramref name="change"/>, and seals it as the vendor would.</summary>
    private async Task SealAsync(InvitedVendor invited, Func<Draft, Draft>? change = null)
    {
        await SurveyScenario.CompleteDraftAsync(Services, invited, Token);
        if (change is not null)
        {
            await Services.GetRequiredService<DraftStore>().UpdateAsync(invited.Assignment.Key, change, Token);
        }

        Assert.Equal(SealStatus.Sealed, (await SurveyScenario.SealAsync(Services, invited, Token)).Status);
    }

    /// <summary>The same vendor surveyed again in a later cycle.</summary>
    private async Task<InvitedVendor> NextCycleAsync(InvitedVendor last)
    {
        var assignment = last.Assignment with { Cycle = "c-next-" + Guid.NewGuid().ToString("N")[..6], Status = AssignmentStatus.Invited, History = [], SubmittedVersion = null };
        await Services.GetRequiredService<AssignmentStore>().CreateManyAsync([assignment], Token);
        var token = await Services.GetRequiredService<SurveyLinks>().IssueAsync(assignment.Key, Token);
        return new InvitedVendor(token, assignment, last.VendorId);
    }

    [Fact]
    public async Task ByDefaultOnlyWhatChangedOrIsNotDoneShowsAndEverythingOnRequest()
    {
        var lastYear = await SurveyScenario.InviteAsync(Services, Token);
        await SealAsync(lastYear);
        var thisYear = await NextCycleAsync(lastYear);
        await SealAsync(thisYear, draft => draft with
        {
            Answers = new Dictionary<string, ItemAnswer>(draft.Answers) { ["GOV-03"] = new ItemAnswer { Status = StatusAnswers.Partial, Comment = "規程を改訂中" } },
        });
        using var reviewer = Reviewer();

        var changes = await PageAsync(reviewer, $"/staff/assignments/{Uri.EscapeDataString(thisYear.Assignment.Key)}");
        var everything = await PageAsync(reviewer, $"/staff/assignments/{Uri.EscapeDataString(thisYear.Assignment.Key)}?all=true");
        var unchangedDone = (await Services.GetRequiredService<ChecklistLibrary>().ResolveAsync("annual-lite", 1, Token))!.Items
            .Select(pair => pair.Item).First(item => item.Id != "GOV-03" && !item.Critical && item.AnswerType == AnswerTypes.Status);

        Assert.Contains("GOV-03", changes, StringComparison.Ordinal);
        Assert.Contains("変更あり", changes, StringComparison.Ordinal);
        Assert.Contains("規程を改訂中", changes, StringComparison.Ordinal);
        Assert.Contains("△ 一部対応・対応予定", changes, StringComparison.Ordinal);
        Assert.Contains("✓ 検証済み", changes, StringComparison.Ordinal);
        Assert.DoesNotContain($">{unchangedDone.Id}</span>", changes, StringComparison.Ordinal);
        Assert.Contains($">{unchangedDone.Id}</span>", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReviewerRequestsChangesWithAMessageAndTheVendorIsMailed()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        await SealAsync(invited);
        using var reviewer = Reviewer();
        var url = $"/staff/assignments/{Uri.EscapeDataString(invited.Assignment.Key)}";
        var page = await PageAsync(reviewer, url);

        using var empty = await PostPageFormAsync(reviewer, page, url + "/request-changes", [("message", "  ")]);
        var afterEmpty = await PageAsync(reviewer, url);
        using var noToken = await PostPageFormAsync(reviewer, afterEmpty, url + "/request-changes", [("message", "x")], withAntiforgery: false);
        using var requested = await PostPageFormAsync(reviewer, afterEmpty, url + "/request-changes", [("message", "<b>GOV-03</b> の根拠資料を添付してください。")]);
        var afterRequest = await PageAsync(reviewer, url);
        var assignment = await Services.GetRequiredService<AssignmentStore>().FindAsync(invited.Assignment.Key, Token);
        var queued = (await Services.GetRequiredService<FunctionsPortal.Storage.PortalStorage>().GetQueue(SurveyMailRequests.QueueName).PeekMessagesAsync(32, Token)).Value;

        Assert.Equal(HttpStatusCode.Redirect, empty.StatusCode);
        Assert.Contains("修正内容を記入してください", afterEmpty, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, requested.StatusCode);
        Assert.Contains("修正を依頼しました", afterRequest, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;GOV-03&lt;/b&gt;", afterRequest, StringComparison.Ordinal);
        Assert.DoesNotContain("受理する", afterRequest, StringComparison.Ordinal); // decided: no decision buttons
        Assert.Equal(AssignmentStatus.ChangesRequested, assignment!.Status);
        Assert.Equal("<b>GOV-03</b> の根拠資料を添付してください。", assignment.ChangesRequestedMessage);
        Assert.Contains(queued, message => message.Body.ToString().Contains("changes-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AReviewerAcceptsAndASecondAcceptIsRefusedWithAMessage()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        await SealAsync(invited);
        using var reviewer = Reviewer();
        var url = $"/staff/assignments/{Uri.EscapeDataString(invited.Assignment.Key)}";
        var page = await PageAsync(reviewer, url);

        using var accepted = await PostPageFormAsync(reviewer, page, url + "/accept", []);
        var afterAccept = await PageAsync(reviewer, url);
        using var again = await PostPageFormAsync(reviewer, page, url + "/accept", []);
        var afterAgain = await PageAsync(reviewer, url);
        var assignment = await Services.GetRequiredService<AssignmentStore>().FindAsync(invited.Assignment.Key, Token);

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Contains("受理しました", afterAccept, StringComparison.Ordinal);
        Assert.Contains("現在の状態では判定できません", afterAgain, StringComparison.Ordinal);
        Assert.Equal(AssignmentStatus.Accepted, assignment!.Status);
        Assert.Contains(assignment.History, change => change.To == AssignmentStatus.Accepted && change.By == "reviewer@our-company.example.jp");
    }

    [Fact]
    public async Task AReviewerNotesReassessesAndMustGiveAReasonToAcceptAFailedCriticalItem()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        await SealAsync(invited, draft => draft with
        {
            Answers = new Dictionary<string, ItemAnswer>(draft.Answers) { ["TRN-07"] = new ItemAnswer { Status = StatusAnswers.NotDone } },
        });
        using var reviewer = Reviewer();
        var url = $"/staff/assignments/{Uri.EscapeDataString(invited.Assignment.Key)}";
        var page = await PageAsync(reviewer, url);

        using var acceptWithoutReason = await PostPageFormAsync(reviewer, page, url + "/accept", []);
        var refused = await PageAsync(reviewer, url);
        using var note = await PostPageFormAsync(reviewer, refused, url + "/notes", [("text", "担当者に電話で確認済み")]);
        using var noReason = await PostPageFormAsync(reviewer, refused, url + "/reassess", [("itemId", "GOV-03"), ("assessment", "partial"), ("reason", "")]);
        var afterNoReason = await PageAsync(reviewer, url);
        using var reassess = await PostPageFormAsync(reviewer, afterNoReason, url + "/reassess", [("itemId", "GOV-03"), ("assessment", "partial"), ("reason", "規程の改訂日が5年前")]);
        var reassessed = await PageAsync(reviewer, url);
        using var accept = await PostPageFormAsync(reviewer, reassessed, url + "/accept", [("reason", "研修は来月実施、受講記録で確認する")]);
        var accepted = await PageAsync(reviewer, url);
        var assignment = await Services.GetRequiredService<AssignmentStore>().FindAsync(invited.Assignment.Key, Token);

        Assert.Contains("重要項目が不適合です。受理するには理由が必要です。", page, StringComparison.Ordinal);
        Assert.Contains("受理する理由を記入してください", refused, StringComparison.Ordinal);
        Assert.Contains("再評価の理由を記入してください", afterNoReason, StringComparison.Ordinal);
        Assert.Contains("再評価後", reassessed, StringComparison.Ordinal);
        Assert.Contains("規程の改訂日が5年前", reassessed, StringComparison.Ordinal);
        Assert.Contains("担当者に電話で確認済み", reassessed, StringComparison.Ordinal);
        Assert.Contains("受理しました", accepted, StringComparison.Ordinal);
        Assert.Equal(AssignmentStatus.Accepted, assignment!.Status);
        Assert.Contains("研修は来月実施", assignment.History[^1].Note, StringComparison.Ordinal);
    }
}
