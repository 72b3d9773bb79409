using FunctionsPortal.Submissions;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.VendorPages.Receipts;

/// <summary>
/// The officer pledges (誓約) for 弊社, the receipt calls our keyed hash 改ざん検知用の署名, and the words attested are
/// sealed with the receipt, so a receipt verifies whatever the wording is today.
/// </summary>
public sealed class ReceiptWordingTests(AzuriteFixture azurite) : VendorPagesHttpTestBase(azurite)
{
    [Fact]
    public void TheVendorSpeaksOfItselfAs弊社AndPledges()
    {
        foreach (var statement in new[] { Attestation.StatementJa, Attestation.HandlingMethodStatementJa })
        {
            Assert.Contains("弊社における", statement, StringComparison.Ordinal);
            Assert.Contains("誓約します", statement, StringComparison.Ordinal);
            Assert.DoesNotContain("当社", statement, StringComparison.Ordinal);
            Assert.DoesNotContain("宣誓", statement, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheReviewAndTheReceiptNameTheTamperEvidenceSignatureAndTheReceiptCarriesTheWordsAttested()
    {
        var invited = await SurveyScenario.InviteAsync(Services, Token);
        await SurveyScenario.CompleteDraftAsync(Services, invited, Token);
        using var browser = NewBrowser();
        var review = await PageAsync(browser, invited.Url("/review"));
        var receipt = await PageAsync(browser, (await SubmitAsync(browser, invited))!);
        using var download = await browser.GetAsync(invited.Url("/receipts/1/download"), Token);
        var envelope = await download.Content.ReadAsByteArrayAsync(Token);
        var report = await Services.GetRequiredService<SubmissionVerifier>().VerifyAsync(envelope, Token);
        var sealedPayload = System.Text.Json.Nodes.JsonNode.Parse(envelope)!["payload"]!["attestation"]!;

        Assert.Contains("改ざん検知用の署名", review, StringComparison.Ordinal);
        Assert.Contains("誓約して提出する", review, StringComparison.Ordinal);
        Assert.Contains("責任者による誓約", review, StringComparison.Ordinal);
        Assert.DoesNotContain("宣誓", review, StringComparison.Ordinal);
        Assert.Contains("改ざん検知用の署名", receipt, StringComparison.Ordinal);
        Assert.Contains("電子署名法上の電子署名ではありません", receipt, StringComparison.Ordinal);
        Assert.Equal(Attestation.StatementJa, sealedPayload["statementJa"]?.GetValue<string>());
        Assert.True(report.Valid);
    }

    [Fact]
    public void TheVerifierReadsTheAttestedWordsFromTheReceiptNotFromTodaysWording()
    {
        // Receipts sealed under the earlier wording (当社における…確認します) must keep verifying: the verifier may not
        // compare a receipt's statement with the current constants.
        var verifier = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src", "FunctionsPortal", "Submissions", "SubmissionVerifier.cs"));

        Assert.DoesNotContain("Attestation.Statement", verifier, StringComparison.Ordinal);
        Assert.DoesNotContain("Attestation.HandlingMethodStatement", verifier, StringComparison.Ordinal);
    }
}
