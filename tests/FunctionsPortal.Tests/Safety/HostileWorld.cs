using FunctionsPortal.Responses;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Safety;

/// <summary>
/// What the hostile cases attack: vendor A with an open survey (the attacker's own link), vendor B whose name, answers
/// and link are canaries that must never reach A's link, vendor S whose sealed receipt is tampered with, and staff.
/// Throttling is set out of the way (its own tests cover it): the suite is about inputs, not rates.
/// </summary>
public sealed class HostileWorld : IAsyncDisposable
{
    public const string CanaryName = "株式会社カナリアB社ZQX";
    public const string CanaryComment = "CANARY-B-ANSWER-7f3a";

    private HostileWorld(PortalApplication app, InvitedVendor a, InvitedVendor b, string bEvidenceId, InvitedVendor sealedVendor)
    {
        BEvidenceId = bEvidenceId;
        App = app;
        A = a;
        B = b;
        Sealed = sealedVendor;
    }

    public PortalApplication App { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>The attacker's own link: an open annual survey.</summary>
    public InvitedVendor A { get; }

    /// <summary>Another vendor: nothing of it may show through A's link.</summary>
    public InvitedVendor B { get; }

    /// <summary>One of B's documents: A's link must not serve it.</summary>
    public string BEvidenceId { get; }

    /// <summary>A vendor that has sealed its survey (a receipt to tamper with).</summary>
    public InvitedVendor Sealed { get; }

    /// <summary>What must never appear in an answer to anyone but staff.</summary>
    public IReadOnlyList<string> OtherVendorsData => [CanaryName, CanaryComment, B.Token, B.Assignment.Key, B.VendorId, BEvidenceId];

    public static async Task<HostileWorld> CreateAsync(AzuriteFixture azurite, CancellationToken cancellationToken)
    {
        var app = new PortalApplication(azurite, settings: new Dictionary<string, string?>
        {
            ["Evidence:MaxFileBytes"] = "65536",
            ["Evidence:MaxAssignmentBytes"] = "1048576",
            ["Throttling:VendorRequestsPerAddress"] = "100000",
            ["Throttling:VendorRequestsPerLink"] = "100000",
            ["Throttling:WrongTokensPerAddress"] = "100000",
            ["Throttling:StaffWritesPerPerson"] = "100000",
            ["Throttling:SignInsPerAddress"] = "100000",
        });
        await app.Services.WhenStorageReadyAsync();
        var a = await SurveyScenario.InviteAsync(app.Services, cancellationToken, checklistId: "annual-full");
        var b = await SurveyScenario.InviteAsync(app.Services, cancellationToken, checklistId: "annual-full", vendor: SampleVendors.Domestic(CanaryName));
        var bDraft = await SurveyScenario.CompleteDraftAsync(app.Services, b, cancellationToken, comment: CanaryComment);
        var sealedVendor = await SurveyScenario.InviteAsync(app.Services, cancellationToken);
        await SurveyScenario.CompleteDraftAsync(app.Services, sealedVendor, cancellationToken);
        await SurveyScenario.SealAsync(app.Services, sealedVendor, cancellationToken);
        return new HostileWorld(app, a, b, bDraft.Evidence[0].Id, sealedVendor);
    }

    /// <summary>A browser: its own cookies, redirects not followed.</summary>
    public HttpClient Browser() => App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public HttpClient Staff(string roles = "Portal.Admin") => App.CreateStaffClient(roles);

    /// <summary>A staff browser signed in by the development cookie (forms and antiforgery like a person's).</summary>
    public async Task<HttpClient> StaffBrowserAsync(string role)
    {
        var client = Browser();
        using var signIn = await VendorFormClient.PostFormAsync(client, "/staff/dev-sign-in", "/staff/dev-sign-in", [("Name", "hostile@our-company.example.jp"), ("Role", role)]);
        return signIn.StatusCode == System.Net.HttpStatusCode.Redirect ? client : throw new InvalidOperationException($"The development sign-in answered {signIn.StatusCode}.");
    }

    public Task<Draft> DraftOfAAsync(CancellationToken cancellationToken) => Services.GetRequiredService<DraftStore>().GetAsync(A.Assignment.Key, cancellationToken);

    public async Task<string?> StatusOfAAsync(CancellationToken cancellationToken) =>
        (await Services.GetRequiredService<AssignmentStore>().FindAsync(A.Assignment.Key, cancellationToken))?.Status;

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
