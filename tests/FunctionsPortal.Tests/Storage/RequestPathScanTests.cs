using System.Text.RegularExpressions;
using FunctionsPortal.Storage;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Tests.Safety;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Storage;

/// <summary>
/// No page or API read a person waits for scans a table (issue 16): each answer's Server-Timing header counts the
/// queries that were neither point reads nor confined to one partition, and every one here must say none.
/// </summary>
public sealed partial class RequestPathScanTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task VendorStaffAndApiReadsMakeNoTableScans()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var world = await HostileWorld.CreateAsync(azurite, cancellationToken);
        var a = world.A;
        var sealedVendor = world.Sealed;
        var cycle = sealedVendor.Assignment.Cycle;
        // An incident of A's, reported through its link: its receipt, the vendor's list and the staff pages read it.
        var incident = await IncidentScenario.ReportedByVendorAsync(world.Services, a, cancellationToken);
        string[] vendorPages =
        [
            a.Url(), a.Url("/s/governance"), a.Url("/review"), a.Url("/subcontractors"), a.Url("/actions"),
            a.Url("/incidents"), a.Url("/incidents/new"), a.Url($"/incidents/{incident.Id}"),
            sealedVendor.Url(), sealedVendor.Url("/receipts/1"), sealedVendor.Url("/answers/1"),
        ];
        string[] staffPages =
        [
            "/staff", "/staff/vendors", $"/staff/vendors/{a.VendorId}", $"/staff/assignments/{sealedVendor.Assignment.Key}",
            "/staff/campaigns", "/staff/actions", $"/staff/reports/vendors/{a.VendorId}",
            "/staff/incidents", $"/staff/incidents/{incident.Id}", $"/staff/vendors/{a.VendorId}/incidents/new",
            "/api/vendors", $"/api/vendors/{a.VendorId}", $"/api/vendors/{a.VendorId}/subcontractors", $"/api/vendors/{a.VendorId}/risk",
            $"/api/vendors/{a.VendorId}/contracts", $"/api/vendors/{a.VendorId}/proposals", $"/api/vendors/{a.VendorId}/management-level",
            $"/api/assignments/{sealedVendor.Assignment.Key}", $"/api/assignments/{sealedVendor.Assignment.Key}/submissions",
            $"/api/assignments/{sealedVendor.Assignment.Key}/submissions/1", $"/api/assignments/{sealedVendor.Assignment.Key}/review",
            "/api/checklists", "/api/campaigns", $"/api/assignments?vendorId={a.VendorId}", "/api/corrective-actions",
            $"/api/audit?vendorId={a.VendorId}", "/api/operations/poison", "/api/vendors/export.csv",
            $"/staff/reports/cycles/{cycle}", "/api/exports/vendors.csv", $"/api/exports/assignments.xlsx?cycle={cycle}",
            "/api/incidents?open=true", $"/api/incidents?vendorId={a.VendorId}", $"/api/vendors/scope?category=personal&location=storage:JP&vendorId={a.VendorId}",
            $"/api/exports/scores.csv?cycle={cycle}", $"/api/exports/findings.csv?cycle={cycle}", $"/api/exports/answers.csv?cycle={cycle}",
        ];

        var scans = new List<string>();
        using var browser = world.Browser();
        using var staff = world.Staff();
        foreach (var (client, path) in vendorPages.Select(path => (browser, path)).Concat(staffPages.Select(path => (staff, path))))
        {
            using var response = await client.GetAsync(path, cancellationToken);
            Assert.True((int)response.StatusCode < 400, $"{path} answered {(int)response.StatusCode}");
            var timing = string.Join(", ", response.Headers.TryGetValues("Server-Timing", out var values) ? values : []);
            Assert.Matches(StorageCount(), timing);
            if (ScanCount().Match(timing) is { Success: true } scan)
            {
                scans.Add($"{path}: {scan.Groups[1].Value} scans");
            }
        }

        Assert.True(scans.Count == 0, "table scans on request paths:\n" + string.Join('\n', scans));
    }

    [Fact]
    public async Task AVendorEditAndASealMarkTheVendorsSurveysWithoutScanning()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var world = await HostileWorld.CreateAsync(azurite, cancellationToken);
        var registry = world.Services.GetRequiredService<VendorRegistry>();
        var assignments = world.Services.GetRequiredService<AssignmentStore>();
        var before = (await assignments.FindAsync(world.A.Assignment.Key, cancellationToken))!.VendorStamp;

        var current = (await registry.FindAsync(world.A.VendorId, cancellationToken))!;
        using (var edit = StorageOperationScope.Begin())
        {
            await registry.UpdateAsync(world.A.VendorId, current.ETag, current.Vendor with { ApproximateRecords = 4321 }, "scan-test", cancellationToken);
            Assert.Equal(0, edit.Count(StorageOperationKind.Scan));
        }

        var afterEdit = (await assignments.FindAsync(world.A.Assignment.Key, cancellationToken))!.VendorStamp;
        await SurveyScenario.CompleteDraftAsync(world.Services, world.A, cancellationToken);
        using (var seal = StorageOperationScope.Begin())
        {
            await SurveyScenario.SealAsync(world.Services, world.A, cancellationToken);
            Assert.Equal(0, seal.Count(StorageOperationKind.Scan));
        }

        var afterSeal = (await assignments.FindAsync(world.A.Assignment.Key, cancellationToken))!.VendorStamp;
        Assert.NotNull(afterEdit);
        Assert.NotEqual(before, afterEdit);
        Assert.NotEqual(afterEdit, afterSeal);
    }

    [GeneratedRegex(@"(?:^|, )storage;desc=""\d+""")]
    private static partial Regex StorageCount();

    [GeneratedRegex(@"storage-scan;desc=""(\d+)""")]
    private static partial Regex ScanCount();
}
