using FunctionsPortal.Incidents;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>An incident a vendor reported through its link (reportable: more than 1,000 people), for pages that show one.</summary>
public static class IncidentScenario
{
    public static async Task<Incident> ReportedByVendorAsync(IServiceProvider services, InvitedVendor invited, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(invited);
        var vendor = (await services.GetRequiredService<VendorRegistry>().RecordAsync(invited.VendorId, cancellationToken))!;
        var result = await services.GetRequiredService<IncidentReports>().ReportByVendorAsync(vendor, invited.Assignment.Key, new IncidentReport
        {
            Summary = "顧客リストを誤送信した。", DiscoveredAt = DateTimeOffset.UtcNow.AddHours(-1), DataCategories = ["personal"], AffectedPeople = 1200, Cause = "宛先の確認漏れ",
        }, [], cancellationToken);
        return result.Incident ?? throw new InvalidOperationException(string.Join(" ", result.Errors.Select(error => error.En)));
    }
}
