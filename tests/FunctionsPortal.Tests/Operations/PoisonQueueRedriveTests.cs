using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FunctionsPortal.Auth;
using FunctionsPortal.Hosting;
using FunctionsPortal.Operations;
using FunctionsPortal.Storage;
using FunctionsPortal.Surveys;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Operations;

/// <summary>Survey mail that failed every retry shows on /healthz, and staff put it back on its queue once the cause is fixed.</summary>
public sealed class PoisonQueueRedriveTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        await _app.Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private Azure.Storage.Queues.QueueClient Queue(string name) => _app.Services.GetRequiredService<PortalStorage>().GetQueue(name);

    [Fact]
    public async Task ParkedSurveyMailMakesHealthDegradedAndAnAdminPutsItBack()
    {
        var poison = Queue(SurveyMailRequests.QueueName + "-poison");
        await poison.CreateIfNotExistsAsync(cancellationToken: Token);
        await poison.SendMessageAsync("{\"assignment\":\"c1~v1~annual\",\"mail\":\"invitation\"}", Token);
        await poison.SendMessageAsync("{\"assignment\":\"c1~v2~annual\",\"mail\":\"invitation\"}", Token);
        using var client = _app.CreateClient();
        using var admin = _app.CreateStaffClient(StaffRoles.Admin);
        using var reviewer = _app.CreateStaffClient(StaffRoles.Reviewer);

        var degraded = await client.GetFromJsonAsync<HealthResponse>("/healthz", Json, Token);
        using var refused = await reviewer.PostAsync($"/api/operations/poison/{SurveyMailRequests.QueueName}/redrive", null, Token);
        using var unknown = await admin.PostAsync("/api/operations/poison/not-a-queue/redrive", null, Token);
        using var redriven = await admin.PostAsync($"/api/operations/poison/{SurveyMailRequests.QueueName}/redrive", null, Token);
        var result = await redriven.Content.ReadFromJsonAsync<RedriveResult>(Json, Token);
        var healthy = await client.GetFromJsonAsync<HealthResponse>("/healthz", Json, Token);
        var back = (await Queue(SurveyMailRequests.QueueName).ReceiveMessagesAsync(32, cancellationToken: Token)).Value.Select(message => message.Body.ToString()).Order().ToList();

        Assert.Equal("Degraded", degraded!.Status);
        var note = Assert.Single(degraded.Attention);
        Assert.Equal("poison-queues", note.Check);
        Assert.Contains("survey-mail 2", note.Description, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, redriven.StatusCode);
        Assert.Equal(2, result!.Moved);
        Assert.Equal("Healthy", healthy!.Status);
        Assert.Empty(healthy.Attention);
        Assert.Equal(["{\"assignment\":\"c1~v1~annual\",\"mail\":\"invitation\"}", "{\"assignment\":\"c1~v2~annual\",\"mail\":\"invitation\"}"], back);
    }
}
