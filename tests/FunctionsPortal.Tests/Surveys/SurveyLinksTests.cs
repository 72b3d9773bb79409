using Azure.Data.Tables;
using FunctionsPortal.Secrets;
using FunctionsPortal.Storage;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsPortal.Tests.Surveys;

public sealed class SurveyLinksTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly RotatingSigningKeys _keys = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero));
    private PortalApplication _app = null!;
    private SurveyLinks _links = null!;
    private AssignmentStore _assignments = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite, timeProvider: _clock, configureServices: services =>
        {
            services.RemoveAll<ISigningKeys>();
            services.AddSingleton<ISigningKeys>(_keys);
        });
        await _app.Services.WhenStorageReadyAsync();
        _links = _app.Services.GetRequiredService<SurveyLinks>();
        _assignments = _app.Services.GetRequiredService<AssignmentStore>();
    }

    private async Task<Assignment> NewAssignmentAsync(string vendorId = "v-links")
    {
        var assignment = new Assignment { Cycle = "c-test", VendorId = vendorId, Kind = SurveyKinds.Annual, DueOn = new DateOnly(2026, 12, 24), CreatedAt = _clock.GetUtcNow() };
        await _assignments.CreateManyAsync([assignment], Token);
        return assignment;
    }

    [Fact]
    public async Task ATokenCarriesMoreThan128BitsAndOnlyItsKeyedHashIsStored()
    {
        var assignment = await NewAssignmentAsync();

        var token = await _links.IssueAsync(assignment.Key, Token);
        var rows = await _app.Services.GetRequiredService<PortalStorage>().GetTable(SurveyLinks.TableName).QueryAsync<TableEntity>(cancellationToken: Token).ToListAsync(Token);

        Assert.True(System.Buffers.Text.Base64Url.DecodeFromChars(token).Length * 8 >= 128);
        var row = Assert.Single(rows);
        Assert.NotEqual(token, row.PartitionKey);
        Assert.Equal(64, row.PartitionKey.Length); // HMAC-SHA256, hex
        Assert.DoesNotContain(row, pair => pair.Value?.ToString()?.Contains(token, StringComparison.Ordinal) == true);
        var check = await _links.VerifyAsync(token, Token);
        Assert.Equal((LinkState.Valid, assignment.Key), (check.State, check.Assignment!.Key));
    }

    [Fact]
    public async Task ANewLinkSupersedesThePreviousOneAndRevokingEndsIt()
    {
        var assignment = await NewAssignmentAsync();
        var first = await _links.IssueAsync(assignment.Key, Token);
        var second = await _links.IssueAsync(assignment.Key, Token);

        var firstCheck = await _links.VerifyAsync(first, Token);
        var secondCheck = await _links.VerifyAsync(second, Token);
        await _links.RevokeAsync(assignment.Key, Token);

        Assert.Equal(LinkState.Superseded, firstCheck.State);
        Assert.Null(firstCheck.Assignment);
        Assert.Equal(LinkState.Valid, secondCheck.State);
        Assert.Equal(LinkState.Revoked, (await _links.VerifyAsync(second, Token)).State);
    }

    [Fact]
    public async Task ALinkExpiresAfterTheDueDatePlusTheGracePeriodInJapanTime()
    {
        var assignment = await NewAssignmentAsync();
        var token = await _links.IssueAsync(assignment.Key, Token);

        // Due 24 Dec 2026, 14 grace days: valid through 7 Jan 2027 in Japan, expired from 8 Jan 00:00 JST.
        _clock.SetUtcNow(new DateTimeOffset(2027, 1, 7, 14, 59, 0, TimeSpan.Zero));
        var lastMinute = await _links.VerifyAsync(token, Token);
        _clock.SetUtcNow(new DateTimeOffset(2027, 1, 7, 15, 0, 0, TimeSpan.Zero));
        var expired = await _links.VerifyAsync(token, Token);

        Assert.Equal(LinkState.Valid, lastMinute.State);
        Assert.Equal(LinkState.Expired, expired.State);
        Assert.Null(expired.Assignment);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("<script>alert(1)</script>")]
    public async Task UnknownAndMalformedTokensAreUnknown(string token) =>
        Assert.Equal(LinkState.Unknown, (await _links.VerifyAsync(token, Token)).State);

    [Fact]
    public async Task ATamperedTokenIsUnknown()
    {
        var assignment = await NewAssignmentAsync();
        var token = await _links.IssueAsync(assignment.Key, Token);
        var tampered = (token[0] == 'A' ? 'B' : 'A') + token[1..];

        Assert.Equal(LinkState.Unknown, (await _links.VerifyAsync(tampered, Token)).State);
    }

    [Fact]
    public async Task RotatingTheKeyKeepsOldLinksWorkingUntilTheOldVersionIsRetired()
    {
        var assignment = await NewAssignmentAsync();
        var signedWithV1 = await _links.IssueAsync(assignment.Key, Token);

        _keys.Rotate();
        var afterRotation = await _links.VerifyAsync(signedWithV1, Token);
        _keys.Retire("v1");
        var afterRetirement = await _links.VerifyAsync(signedWithV1, Token);

        Assert.Equal(LinkState.Valid, afterRotation.State);
        Assert.Equal(LinkState.Unknown, afterRetirement.State);
    }

    [Fact]
    public async Task ALinkOfACancelledAssignmentNoLongerOpens()
    {
        var assignment = await NewAssignmentAsync();
        var token = await _links.IssueAsync(assignment.Key, Token);

        await _assignments.TransitionAsync(assignment.Key, AssignmentStatus.Cancelled, "staff", "vendor terminated", _clock.GetUtcNow(), Token);

        Assert.Equal(LinkState.Revoked, (await _links.VerifyAsync(token, Token)).State);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
