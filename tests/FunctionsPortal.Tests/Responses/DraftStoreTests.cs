using FunctionsPortal.Checklists;
using FunctionsPortal.Responses;
using FunctionsPortal.Storage;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Responses;

/// <summary>
/// A save that starts from the draft its request already read (the session's copy, under its blob ETag): one write
/// when nothing came in since, and never a lost answer when something did.
/// </summary>
public sealed class DraftStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private DraftStore Drafts => _app.Services.GetRequiredService<DraftStore>();

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        await _app.Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ASaveFromTheSessionsCopyIsOneWriteAndNoRead()
    {
        var invited = await SurveyScenario.InviteAsync(_app.Services, Token);
        await Drafts.UpdateAsync(invited.Assignment.Key, draft => With(draft, "GOV-03", "partial"), Token);
        var session = await SessionAsync(invited);

        using var scope = StorageOperationScope.Begin();
        var saved = await Drafts.UpdateAsync(session, draft => With(draft, "GOV-04", "done"), Token);

        Assert.Equal(1, scope.Total);
        Assert.Equal(1, scope.Count(StorageOperationKind.BlobWrite));
        Assert.Equal((2, "partial", "done"), (saved.Revision, saved.Answers["GOV-03"].Status, saved.Answers["GOV-04"].Status));
    }

    [Fact]
    public async Task ASaveFromACopyReadBeforeAnotherTabSavedKeepsBothAnswers()
    {
        var invited = await SurveyScenario.InviteAsync(_app.Services, Token);
        var session = await SessionAsync(invited); // nothing saved yet: the copy is the empty draft

        await Drafts.UpdateAsync(invited.Assignment.Key, draft => With(draft, "GOV-03", "partial"), Token);
        var saved = await Drafts.UpdateAsync(session, draft => With(draft, "GOV-04", "done"), Token);
        var stored = await Drafts.GetAsync(invited.Assignment.Key, Token);

        Assert.Equal((2, "partial", "done"), (saved.Revision, saved.Answers["GOV-03"].Status, saved.Answers["GOV-04"].Status));
        Assert.Equal(2, stored.Revision);
        Assert.Equal(["GOV-03", "GOV-04"], stored.Answers.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AnAnswerThatIsNoChangeToAStaleCopyStillReplacesWhatAnotherTabSavedSince()
    {
        var invited = await SurveyScenario.InviteAsync(_app.Services, Token);
        await Drafts.UpdateAsync(invited.Assignment.Key, draft => With(draft, "GOV-03", "done"), Token);
        var session = await SessionAsync(invited);
        await Drafts.UpdateAsync(invited.Assignment.Key, draft => With(draft, "GOV-03", "partial"), Token);

        var saved = await Drafts.UpdateAsync(session, draft => With(draft, "GOV-03", "done"), Token);
        var stored = await Drafts.GetAsync(invited.Assignment.Key, Token);

        Assert.Equal((3, "done"), (saved.Revision, saved.Answers["GOV-03"].Status));
        Assert.Equal((3, "done"), (stored.Revision, stored.Answers["GOV-03"].Status));
    }

    private async Task<VendorSession> SessionAsync(InvitedVendor invited) =>
        (await _app.Services.GetRequiredService<VendorSessions>().LoadAsync(invited.Token, Token)).Session!;

    private static Draft With(Draft draft, string itemId, string status) =>
        draft with { Answers = new Dictionary<string, ItemAnswer>(draft.Answers, StringComparer.Ordinal) { [itemId] = new ItemAnswer { Status = status } } };
}
