using System.ComponentModel.DataAnnotations;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using FunctionsPortal.Graph;
using FunctionsPortal.Mail;
using FunctionsPortal.Storage;
using FunctionsPortal.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Tests.Graph;

public sealed class GraphMailOptionsTests
{
    [Fact]
    public void TheDefaultsAreGraphsAndExchangesLimits()
    {
        var options = new GraphMailOptions();

        Assert.Empty(Validate(options));
        Assert.Equal(new Uri("https://graph.microsoft.com/v1.0"), options.BaseUrl);
        Assert.Equal(4, options.MaxConcurrentRequests);
        Assert.Equal(30, options.MessagesPerMinute);
        Assert.Equal(10_000, options.RecipientsPerDay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RequestTimeout);
    }

    [Theory]
    [InlineData("http://graph.example/v1.0", "BaseUrl")]
    [InlineData("https://graph.microsoft.com/v1.0", "MaxConcurrentRequests", 5)]
    [InlineData("https://graph.microsoft.com/v1.0", "MaxConcurrentRequests", 0)]
    [InlineData("https://graph.microsoft.com/v1.0", "MessagesPerMinute", 4, 10_001)]
    [InlineData("https://graph.microsoft.com/v1.0", "RequestTimeout", 4, 30, 0)]
    [InlineData("https://graph.microsoft.com/v1.0", "RecipientsPerDay", 4, 30, 30, 0)]
    [InlineData("https://graph.microsoft.com/v1.0", "RecipientsPerDay", 4, 30, 30, 10_001)]
    public void OutOfRangeSettingsAreRefused(string baseUrl, string setting, int maxConcurrentRequests = 4, int messagesPerMinute = 30, int timeoutSeconds = 30, int recipientsPerDay = 10_000)
    {
        var options = new GraphMailOptions
        {
            BaseUrl = new Uri(baseUrl),
            MaxConcurrentRequests = maxConcurrentRequests,
            MessagesPerMinute = messagesPerMinute,
            RequestTimeout = TimeSpan.FromSeconds(timeoutSeconds),
            RecipientsPerDay = recipientsPerDay,
        };

        var error = Assert.Single(Validate(options));

        Assert.Contains($"GraphMail:{setting}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainHttpIsAllowedOnlyToThisMachine() =>
        Assert.Empty(Validate(new GraphMailOptions { BaseUrl = new Uri("http://127.0.0.1:5000/v1.0") }));

    [Fact]
    public void RegistrationBindsTheGraphMailSectionAndLeavesTheMailTransportChoiceAlone()
    {
        using var services = Services(new Dictionary<string, string?>
        {
            ["GraphMail:MaxConcurrentRequests"] = "2",
            ["GraphMail:MessagesPerMinute"] = "0",
            ["GraphMail:RequestTimeout"] = "00:00:05",
        });

        var options = services.GetRequiredService<IOptions<GraphMailOptions>>().Value;
        var transport = services.GetRequiredService<GraphMailTransport>();

        Assert.Equal(2, options.MaxConcurrentRequests);
        Assert.Equal(0, options.MessagesPerMinute);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RequestTimeout);
        Assert.Equal("graph", transport.Name);
        Assert.Null(services.GetService<IMailTransport>());
        Assert.IsType<GraphFakeCredential>(services.GetRequiredService<TokenCredential>());
    }

    [Fact]
    public void InvalidSettingsFailValidation()
    {
        using var services = Services(new Dictionary<string, string?> { ["GraphMail:MaxConcurrentRequests"] = "10" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<GraphMailOptions>>().Value);

        Assert.Contains("GraphMail:MaxConcurrentRequests", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutASenderMailboxTheTransportCannotBeBuilt()
    {
        using var storage = Services(new Dictionary<string, string?>());
        var error = Assert.Throws<InvalidOperationException>(() => new GraphMailTransport(
            Options.Create(new GraphMailOptions()),
            Options.Create(new GraphOptions()),
            new GraphFakeCredential(),
            storage.GetRequiredService<MailboxLimiter>(),
            TimeProvider.System,
            NullLogger<GraphMailTransport>.Instance));

        Assert.Contains("Graph:SenderMailboxes (or Graph:SenderMailbox) is not set", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        settings["Graph:SenderMailbox"] = "surveys@contoso.example";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        // The limiter needs the app's storage facade; these tests never reach storage (nothing is sent).
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddSingleton<TokenCredential>(new GraphFakeCredential())
            .AddSingleton(new PortalStorage(
                new TableServiceClient("UseDevelopmentStorage=true"), new BlobServiceClient("UseDevelopmentStorage=true"), new QueueServiceClient("UseDevelopmentStorage=true"),
                Options.Create(new StorageOptions())));
        services.AddOptions<GraphOptions>().BindConfiguration(GraphOptions.SectionName);
        services.AddGraphMailTransport();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static List<string> Validate(GraphMailOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(result => result.ErrorMessage ?? "")];
    }
}
