using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using FunctionsPortal.Settings;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Storage;

public static class StorageFeature
{
    /// <summary>Registers the Table, Blob and Queue clients once, from the <c>Storage</c> section.</summary>
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .ValidateWith(new ValidateStorageOptions())
            .ValidateOnStart();

        builder.Services.AddSingleton(services => CreateClients(services.GetRequiredService<IOptions<StorageOptions>>().Value));
        builder.Services.AddSingleton(services => services.GetRequiredService<StorageClients>().Tables);
        builder.Services.AddSingleton(services => services.GetRequiredService<StorageClients>().Blobs);
        builder.Services.AddSingleton(services => services.GetRequiredService<StorageClients>().Queues);
        // Each client is resolved on its own, so a registration that replaces one (tests count a client's requests) is honoured.
        builder.Services.AddSingleton(services => new PortalStorage(
            new Lazy<StorageClients>(
                () => new StorageClients(services.GetRequiredService<TableServiceClient>(), services.GetRequiredService<BlobServiceClient>(), services.GetRequiredService<QueueServiceClient>()),
                LazyThreadSafetyMode.PublicationOnly),
            services.GetRequiredService<IOptions<StorageOptions>>()));
        builder.Services.AddSingleton<StorageReadiness>();
        builder.Services.AddSingleton<StorageHealth>();
        builder.Services.AddHostedService<StorageInitializer>();
        builder.Services.AddTransient<IStartupFilter, StorageOnDemand>();
        builder.Services.AddTransient<IStartupFilter, StorageOperationCounting>();
        return builder;
    }

    /// <summary>Declares a table, container or queue a capability needs; it is created at start-up, once something needs storage.</summary>
    public static IServiceCollection AddStorageResource(this IServiceCollection services, StorageResourceKind kind, string logicalName)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddSingleton(new StorageResource(kind, logicalName));
    }

    private static StorageClients CreateClients(StorageOptions options)
    {
        // Bounded retries: a dead account should fail a request in seconds, not minutes.
        static void Configure(ClientOptions clientOptions)
        {
            clientOptions.Retry.MaxRetries = 3;
            clientOptions.Retry.Mode = RetryMode.Exponential;
            clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(200);
            clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(4);
            clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        }

        var tableOptions = new TableClientOptions();
        var blobOptions = new BlobClientOptions();
        // The Functions queue trigger expects Base64 (host.json messageEncoding); the SDK's default is none.
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        QueueServiceClient? queues = null;
        queueOptions.MessageDecodingFailed += arguments => UndecodableMessages.MoveToPoisonAsync(arguments, queues!);
        Configure(tableOptions);
        Configure(blobOptions);
        Configure(queueOptions);
        // Per attempt, so a retried call counts as the round trips it really made.
        tableOptions.AddPolicy(new StorageOperationCounter(StorageService.Table), HttpPipelinePosition.PerRetry);
        blobOptions.AddPolicy(new StorageOperationCounter(StorageService.Blob), HttpPipelinePosition.PerRetry);
        queueOptions.AddPolicy(new StorageOperationCounter(StorageService.Queue), HttpPipelinePosition.PerRetry);

        if (options.UsesConnectionString)
        {
            queues = new QueueServiceClient(options.ConnectionString, queueOptions);
            return new StorageClients(
                new TableServiceClient(options.ConnectionString, tableOptions),
                new BlobServiceClient(options.ConnectionString, blobOptions),
                queues);
        }

        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.ClientId) ? null : options.ClientId,
        });
        queues = new QueueServiceClient(options.QueueServiceUri!, credential, queueOptions);
        return new StorageClients(
            new TableServiceClient(options.TableServiceUri!, credential, tableOptions),
            new BlobServiceClient(options.BlobServiceUri!, credential, blobOptions),
            queues);
    }

}
