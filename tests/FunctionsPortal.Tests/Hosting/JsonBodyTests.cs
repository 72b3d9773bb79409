using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FunctionsPortal.Auth;
using FunctionsPortal.Hosting;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Hosting;

/// <summary>
/// A <see cref="JsonBody{T}"/> is read when the request arrives, not prepared while the endpoints are built (decision
/// 025), and answers a bad body as the framework's binder did: 415 for another format, 400 for none, malformed JSON or
/// <c>null</c>; the API still declares the body's type.
/// </summary>
public sealed class JsonBodyTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly PortalApplication _app = new(azurite);
    private HttpClient _admin = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _admin = _app.CreateStaffClient(StaffRoles.Admin);
        await _app.Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task AValidBodyIsBoundAndUsed()
    {
        using var response = await _admin.PostAsJsonAsync("/api/vendors", SampleVendors.Domestic("株式会社ボディ確認"), Json, Token);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<VendorView>(Json, Token);
        Assert.Equal("株式会社ボディ確認", created!.Vendor.LegalName.Ja);
    }

    [Theory]
    [InlineData("text/plain", "{}", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json", "{\"nameJa\":", HttpStatusCode.BadRequest)]
    [InlineData("application/json", "null", HttpStatusCode.BadRequest)]
    [InlineData("application/json", "[1,2,3]", HttpStatusCode.BadRequest)]
    [InlineData("application/json", "", HttpStatusCode.BadRequest)]
    public async Task ABadBodyIsTheClientsError(string mediaType, string body, HttpStatusCode expected)
    {
        using var content = new StringContent(body, Encoding.UTF8, mediaType);

        using var response = await _admin.PostAsync("/api/vendors", content, Token);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task APostWithoutABodyIs400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/vendors");

        using var response = await _admin.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain", "{}", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json", "{\"at\":", HttpStatusCode.BadRequest)]
    [InlineData("application/json", "[]", HttpStatusCode.BadRequest)]
    public async Task AnOptionalBodyThatIsThereMustStillBeJson(string mediaType, string body, HttpStatusCode expected)
    {
        using var content = new StringContent(body, Encoding.UTF8, mediaType);

        using var response = await _admin.PostAsync("/api/incidents/no-such-incident/preliminary-reported", content, Token);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task AnOptionalBodyMayBeLeftOut()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/incidents/no-such-incident/preliminary-reported");
        request.Headers.TryAddWithoutValidation("If-Match", "\"any\"");

        using var response = await _admin.SendAsync(request, Token);

        // Past binding, the handler answers: there is no such incident.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void TheEndpointsStillDeclareTheirBodyType()
    {
        var vendorBodies = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(endpoint => endpoint.Metadata.GetMetadata<IAcceptsMetadata>())
            .Where(accepts => accepts?.RequestType == typeof(Vendor))
            .ToList();

        Assert.Equal(2, vendorBodies.Count); // create and update
        Assert.All(vendorBodies, accepts =>
        {
            Assert.Equal(["application/json"], accepts!.ContentTypes);
            Assert.False(accepts.IsOptional);
        });
    }
}
