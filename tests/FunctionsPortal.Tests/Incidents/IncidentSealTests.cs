using System.Text;
using FunctionsPortal.Incidents;
using FunctionsPortal.Storage;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Incidents;

/// <summary>A vendor's report through its link: sealed as received with its documents by hash, verifiable, and its notice to us recorded.</summary>
public sealed class IncidentSealTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly PortalApplication _app = new(azurite);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IncidentReports Reports => _app.Services.GetRequiredService<IncidentReports>();

    public async ValueTask InitializeAsync() => await _app.Services.WhenStorageReadyAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<VendorRecord> VendorAsync()
    {
        var view = await _app.Services.GetRequiredService<VendorRegistry>().CreateAsync(SampleVendors.Domestic(), "test", Token, "vs" + Guid.NewGuid().ToString("N")[..10]);
        return (await _app.Services.GetRequiredService<VendorRegistry>().RecordAsync(view.Id, Token))!;
    }

    private static IncidentReport Report => new()
    {
        Summary = "ノートPCの紛失", DiscoveredAt = DateTimeOffset.UtcNow.AddHours(-1), DataCategories = ["personal", "sensitive"], SensitiveData = true, AffectedPeople = 40,
    };

    private static IncidentUpload Upload(string name, byte[] bytes) => new(name, new MemoryStream(bytes));

    [Fact]
    public async Task TheSealedReportVerifiesAndATamperedDocumentIsFound()
    {
        var vendor = await VendorAsync();

        var result = await Reports.ReportByVendorAsync(vendor, "camp1~" + vendor.Id, Report, [Upload("経緯報告.pdf", SurveyScenario.Pdf("incident"))], Token);

        var incident = result.Incident!;
        var sealer = _app.Services.GetRequiredService<IncidentSealer>();
        var verified = await sealer.VerifyAsync(incident, Token);
        Assert.True(verified.Valid, string.Join("; ", verified.Problems));
        Assert.Equal((IncidentChannels.VendorLink, $"vendor:camp1~{vendor.Id}", incident.ReportedAt), (incident.Channel, incident.ReportedBy, incident.PrincipalNotifiedAt!.Value));
        Assert.Equal(incident.ReportedAt, incident.AwareAt);
        var document = Assert.Single(incident.Documents);
        Assert.Equal(("経緯報告.pdf", "application/pdf"), (document.FileName, document.ContentType));
        Assert.Equal(incident.Seal.Sha256, verified.Envelope!.Sha256);
        Assert.Equal(incident.Seal.KeyVersion, verified.Envelope.Signature.KeyVersion);
        Assert.Equal(("ノートPCの紛失", document.Sha256), (verified.Envelope.Payload.Summary, verified.Envelope.Payload.Documents[0].Sha256));

        await _app.Services.GetRequiredService<PortalStorage>().GetContainer(IncidentDocuments.ContainerName).GetBlobClient(document.BlobName)
            .UploadAsync(new BinaryData(SurveyScenario.Pdf("rewritten")), overwrite: true, Token);
        var tampered = await sealer.VerifyAsync(incident, Token);

        Assert.False(tampered.Valid);
        Assert.Contains("経緯報告.pdf", Assert.Single(tampered.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DocumentsThatAreNotPdfPngOrJpegOrTooManyOrTooLargeAreRefusedAndNothingIsStored()
    {
        var vendor = await VendorAsync();

        var wrongType = await Reports.ReportByVendorAsync(vendor, "camp1~" + vendor.Id, Report, [Upload("memo.txt", Encoding.UTF8.GetBytes("plain text"))], Token);
        var tooMany = await Reports.ReportByVendorAsync(vendor, "camp1~" + vendor.Id, Report, [.. Enumerable.Range(0, 6).Select(i => Upload($"{i}.pdf", SurveyScenario.Pdf()))], Token);
        var tooLarge = await Reports.ReportByVendorAsync(vendor, "camp1~" + vendor.Id, Report,
            [Upload("big.pdf", [.. SurveyScenario.Pdf(), .. new byte[IncidentDocuments.MaxFileBytes]])], Token);

        Assert.All(new[] { wrongType, tooMany, tooLarge }, result =>
        {
            Assert.False(result.Succeeded);
            Assert.Equal("documents", Assert.Single(result.Errors).Field);
        });
        Assert.Contains("PDF", wrongType.Errors[0].Ja, StringComparison.Ordinal);
        Assert.Empty(await _app.Services.GetRequiredService<IncidentStore>().ListForVendorAsync(vendor.Id, Token));
    }
}
