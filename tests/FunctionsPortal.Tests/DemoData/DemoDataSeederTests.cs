using FunctionsPortal.DemoData;
using FunctionsPortal.Storage;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.DemoData;

public sealed class DemoDataSeederTests(AzuriteFixture azurite)
{
    private static async Task<IReadOnlyList<VendorRecord>> SeededVendorsAsync(PortalApplication app, CancellationToken cancellationToken)
    {
        await app.Services.GetRequiredService<StorageReadiness>().WhenReadyAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return await app.Services.GetRequiredService<VendorStore>().ListAsync(cancellationToken);
    }

    [Fact]
    public async Task DemoDataHasAFewVendorsOneWithASubcontractorAllWithValidCorporateNumbers()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = new PortalApplication(azurite);
        await SeededVendorsAsync(app, cancellationToken);

        var added = await app.Services.GetRequiredService<DemoDataSeeder>().SeedAsync(cancellationToken);
        var vendors = await app.Services.GetRequiredService<VendorStore>().ListAsync(cancellationToken);

        Assert.Equal(4, added);
        var subcontractor = Assert.Single(vendors, record => record.Vendor.ParentId is not null);
        Assert.Contains(vendors, record => record.Id == subcontractor.Vendor.ParentId);
        Assert.All(vendors, record => Assert.Empty(VendorValidator.Validate(record.Vendor)));
        Assert.All(vendors.Where(record => record.Vendor.CorporateNumber is not null), record => Assert.True(CorporateNumber.IsValid(record.Vendor.CorporateNumber)));
    }

    [Fact]
    public async Task OneDemoVendorHasASealedAcceptedSubmissionFromAnEarlierCycleToCarryForward()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var app = new PortalApplication(azurite);
        await SeededVendorsAsync(app, cancellationToken);
        await app.Services.GetRequiredService<DemoDataSeeder>().SeedAsync(cancellationToken);
        await app.Services.GetRequiredService<FunctionsPortal.Checklists.DefaultChecklistsSeeder>().SeedAsync(cancellationToken);
        var history = app.Services.GetRequiredService<DemoHistory>();

        await history.SeedAsync(cancellationToken);
        await history.SeedAsync(cancellationToken);

        var key = FunctionsPortal.Surveys.AssignmentKey.For(DemoHistory.Cycle, DemoHistory.VendorId, FunctionsPortal.Surveys.SurveyKinds.Annual);
        var versions = await app.Services.GetRequiredService<FunctionsPortal.Submissions.SubmissionStore>().SealedVersionsAsync(key, cancellationToken);
        var report = await app.Services.GetRequiredService<FunctionsPortal.Submissions.SubmissionVerifier>().VerifyStoredAsync(key, 1, cancellationToken);
        var previous = await app.Services.GetRequiredService<FunctionsPortal.Submissions.SubmissionStore>()
            .LatestForVendorAsync(DemoHistory.VendorId, FunctionsPortal.Surveys.SurveyKinds.Annual, "this-year", cancellationToken);
        var assignment = await app.Services.GetRequiredService<FunctionsPortal.Surveys.AssignmentStore>().FindAsync(key, cancellationToken);

        Assert.Equal([1], versions);
        Assert.True(report.Valid);
        Assert.Equal(key, previous?.AssignmentKey);
        Assert.Equal(FunctionsPortal.Surveys.AssignmentStatus.Accepted, assignment!.Status);

        // Accepted through the reviewer's path: its findings are corrective actions (once, however often it seeds), one with remediation waiting.
        var actions = await app.Services.GetRequiredService<FunctionsPortal.CorrectiveActions.CorrectiveActionStore>().ListForVendorAsync(DemoHistory.VendorId, cancellationToken);
        Assert.Equal(["GOV-03", "HDL-05", "TRN-01"], actions.Select(action => action.ItemId).Order(StringComparer.Ordinal));
        Assert.Equal(FunctionsPortal.CorrectiveActions.ActionStatuses.Submitted, actions.Single(action => action.ItemId == "GOV-03").Status);
        Assert.Equal(FunctionsPortal.CorrectiveActions.ActionStatuses.Open, actions.Single(action => action.ItemId == "TRN-01").Status);
        Assert.Equal(FunctionsPortal.CorrectiveActions.ActionStatuses.Planned, actions.Single(action => action.ItemId == "HDL-05").Status);
        Assert.NotNull(actions.Single(action => action.ItemId == "GOV-03").Remediation);
    }

    [Fact]
    public async Task StartingTwiceDoesNotDuplicateDemoData()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var prefix = AzuriteFixture.NewPrefix();
        var settings = new Dictionary<string, string?> { ["DemoData:Enabled"] = "true" };

        await using (var first = new PortalApplication(azurite, prefix, settings))
        {
            await Eventually.ValueAsync(
                () => SeededVendorsAsync(first, cancellationToken),
                vendors => vendors.Count >= 4,
                vendors => $"the 4 demo vendors to be seeded at start-up (saw {vendors.Count})",
                TimeSpan.FromSeconds(30), cancellationToken: cancellationToken);
        }

        await using var second = new PortalApplication(azurite, prefix, settings);
        var secondRun = await second.Services.GetRequiredService<DemoDataSeeder>().SeedAsync(cancellationToken);

        Assert.Equal(0, secondRun);
        Assert.Equal(4, (await SeededVendorsAsync(second, cancellationToken)).Count);
    }

    [Fact]
    public async Task TwoConcurrentSeedersAddEachVendorOnce()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var prefix = AzuriteFixture.NewPrefix();
        await using var first = new PortalApplication(azurite, prefix);
        await using var second = new PortalApplication(azurite, prefix);
        await SeededVendorsAsync(first, cancellationToken);
        await SeededVendorsAsync(second, cancellationToken);

        var added = await Task.WhenAll(
            first.Services.GetRequiredService<DemoDataSeeder>().SeedAsync(cancellationToken),
            second.Services.GetRequiredService<DemoDataSeeder>().SeedAsync(cancellationToken));

        Assert.Equal(4, added.Sum());
        Assert.Equal(4, (await SeededVendorsAsync(first, cancellationToken)).Count);
    }
}
