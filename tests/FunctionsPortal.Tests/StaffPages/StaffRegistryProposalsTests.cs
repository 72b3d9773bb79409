using System.Net;
using System.Text.RegularExpressions;
using FunctionsPortal.Auth;
using FunctionsPortal.Checklists;
using FunctionsPortal.RegistryProposals;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.StaffPages;

/// <summary>The vendor's page lists the registry changes its scoping answers propose; administrators confirm or dismiss them (PRG), reviewers only read.</summary>
public sealed partial class StaffRegistryProposalsTests(AzuriteFixture azurite) : IAsyncLifetime
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

    private async Task<(string VendorId, IReadOnlyList<RegistryProposal> Proposals)> ProposedAsync()
    {
        var vendorId = (await Services.GetRequiredService<VendorRegistry>().CreateAsync(SampleVendors.Domestic(), "test", Token, "vq" + Guid.NewGuid().ToString("N")[..10])).Id;
        await ScopingScenario.AnswerAndSealAsync(Services, await ScopingScenario.SurveyAsync(Services, vendorId, Token), new Dictionary<string, ItemAnswer>
        {
            [ScopingItems.Subcontracts] = ScopingScenario.Yes,
            [ScopingItems.Overseas] = ScopingScenario.Yes, [ScopingItems.Countries] = ScopingScenario.Text("ベトナム、東南アジア"),
        }, Token);
        return (vendorId, await Services.GetRequiredService<ProposalDecisions>().PendingAsync(vendorId, Token));
    }

    private static string ETagOn(string html) => WebUtility.HtmlDecode(ETag().Match(html).Groups[1].Value);

    [Fact]
    public async Task AnAdministratorSeesTheProposalsAndConfirmsOneWithThePagesETag()
    {
        var (vendorId, proposals) = await ProposedAsync();
        var subcontracts = proposals.Single(proposal => proposal.Field == ProposalFields.Subcontracts);
        var countries = proposals.Single(proposal => proposal.Field == ProposalFields.OverseasCountries);
        using var admin = _app.CreateStaffClient(StaffRoles.Admin, "admin@our-company.example.jp");
        var url = $"/staff/vendors/{vendorId}";
        var page = await PageAsync(admin, url);

        using var confirmed = await PostPageFormAsync(admin, page, $"{url}/proposals/{subcontracts.Id}/confirm", [("etag", ETagOn(page))]);
        var after = await confirmed.Content.ReadAsStringAsync(Token);
        var stale = await (await PostPageFormAsync(admin, page, $"{url}/proposals/{countries.Id}/confirm", [("etag", ETagOn(page)), ("countriesTo", "access")])).Content.ReadAsStringAsync(Token);
        var current = await Services.GetRequiredService<VendorRegistry>().RecordAsync(vendorId, Token);

        Assert.Contains("回答にもとづく登録内容の変更提案", page, StringComparison.Ordinal);
        Assert.Contains("ベトナム、東南アジア", page, StringComparison.Ordinal);
        Assert.Contains("読み取れなかった国名", page, StringComparison.Ordinal);
        Assert.Contains($"/proposals/{countries.Id}/confirm", page, StringComparison.Ordinal);
        Assert.Contains("name=\"countriesTo\"", page, StringComparison.Ordinal);
        Assert.Equal(url, confirmed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("提案を確定し、登録内容を変更しました", after, StringComparison.Ordinal);
        Assert.DoesNotContain($"/proposals/{subcontracts.Id}/confirm", after, StringComparison.Ordinal);
        Assert.Contains("再委託あり", after, StringComparison.Ordinal);
        Assert.True(current!.Vendor.Subcontracts);
        Assert.Contains("他の担当者が変更しました", stale, StringComparison.Ordinal);
        Assert.Equal(["JP"], current.Vendor.Countries.Access);
    }

    [Fact]
    public async Task DismissingNeedsAReasonOnThePage()
    {
        var (vendorId, proposals) = await ProposedAsync();
        var proposal = proposals.Single(proposal => proposal.Field == ProposalFields.OverseasCountries);
        using var admin = _app.CreateStaffClient(StaffRoles.Admin);
        var url = $"/staff/vendors/{vendorId}";
        var page = await PageAsync(admin, url);

        var noReason = await (await PostPageFormAsync(admin, page, $"{url}/proposals/{proposal.Id}/dismiss", [("reason", "")])).Content.ReadAsStringAsync(Token);
        var dismissed = await (await PostPageFormAsync(admin, noReason, $"{url}/proposals/{proposal.Id}/dismiss", [("reason", "保管はすべて国内と確認済み")])).Content.ReadAsStringAsync(Token);

        Assert.Contains("却下する理由を記入してください", noReason, StringComparison.Ordinal);
        Assert.Contains("提案を却下しました", dismissed, StringComparison.Ordinal);
        Assert.DoesNotContain($"/proposals/{proposal.Id}/", dismissed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReviewerReadsTheProposalsButCannotDecide()
    {
        var (vendorId, proposals) = await ProposedAsync();
        using var reviewer = _app.CreateStaffClient(StaffRoles.Reviewer);
        var url = $"/staff/vendors/{vendorId}";
        var page = await PageAsync(reviewer, url);

        using var confirm = await PostPageFormAsync(reviewer, page, $"{url}/proposals/{proposals[0].Id}/confirm", [("etag", "x")], withAntiforgery: false);

        Assert.Contains("回答にもとづく登録内容の変更提案", page, StringComparison.Ordinal);
        Assert.Contains("管理者の判断待ち", page, StringComparison.Ordinal);
        Assert.DoesNotContain("確定して登録内容を変更する", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, confirm.StatusCode);
        Assert.Equal(2, (await Services.GetRequiredService<ProposalDecisions>().PendingAsync(vendorId, Token)).Count);
    }

    [GeneratedRegex(@"name=""etag"" value=""([^""]+)""")]
    private static partial Regex ETag();
}
