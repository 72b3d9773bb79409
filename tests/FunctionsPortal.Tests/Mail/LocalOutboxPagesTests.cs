using FunctionsPortal.Mail;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Mail;

/// <summary>The local outbox lists each mail with the recipient's company, stored with the mail when it was written.</summary>
public sealed class LocalOutboxPagesTests(AzuriteFixture azurite)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheOutboxListsTheCompanyOfEachMail()
    {
        await using var app = new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["Mail:LocalOutboxDirectory"] = Path.Combine(Path.GetTempPath(), "outbox-" + Guid.NewGuid().ToString("N")) });
        await app.Services.WhenStorageReadyAsync();
        var transport = app.Services.GetRequiredService<LocalOutboxTransport>();
        foreach (var (company, address) in new[] { ("株式会社アルファ", "a@alpha.example.jp"), ("ベータ合同会社", "b@beta.example.jp") })
        {
            var draft = await transport.CreateDraftAsync(new OutgoingMail($"owner/{address}", new MailAddressee(address, "担当 様", company), [], $"件名 {company}", "<p>本文</p>", "本文"), Token);
            await transport.SendDraftAsync(draft.Value!, Token);
        }

        using var client = app.CreateClient();
        var list = await client.GetStringAsync(new Uri("/outbox", UriKind.Relative), Token);
        var first = (await transport.ListAsync(10, Token))[0];
        var shown = await client.GetStringAsync(new Uri($"/outbox/{first.Id}", UriKind.Relative), Token);

        Assert.Contains("<th>会社 / Company</th>", list, StringComparison.Ordinal);
        Assert.Contains("<td>株式会社アルファ</td>", list, StringComparison.Ordinal);
        Assert.Contains("<td>ベータ合同会社</td>", list, StringComparison.Ordinal);
        Assert.Contains($"<dd>{first.Company}</dd>", shown, StringComparison.Ordinal);
    }
}
