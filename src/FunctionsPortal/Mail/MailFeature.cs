using FunctionsPortal.Jobs;
using FunctionsPortal.Settings;
using FunctionsPortal.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunctionsPortal.Mail;

public static class MailFeature
{
    /// <summary>
    /// The exactly-once outbox and how mail leaves: the transport an adapter registered first (AddGraph, when a sender
    /// mailbox is configured), otherwise the local outbox (table + .eml files, listed on /outbox in Development).
    /// </summary>
    public static IHostApplicationBuilder AddMail(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<MailOptions>().BindConfiguration(MailOptions.SectionName).ValidateWith(new ValidateMailOptions()).ValidateOnStart();
        builder.Services.AddOptions<MailSignatureOptions>().BindConfiguration(MailSignatureOptions.SectionName).ValidateWith(new ValidateMailSignatureOptions()).ValidateOnStart();
        builder.Services.AddSingleton<LocalOutboxTransport>();
        builder.Services.TryAddSingleton<IMailTransport>(services => services.GetRequiredService<LocalOutboxTransport>());
        builder.Services.AddSingleton<MailOutbox>();
        builder.Services.AddFunctionJob<MailOutboxSweepJob>(MailOutboxSweepJob.FunctionName);
        builder.Services.AddStorageResource(StorageResourceKind.Table, MailOutbox.TableName);
        builder.Services.AddStorageResource(StorageResourceKind.Table, LocalOutboxTransport.TableName);
        return builder;
    }

    public static IEndpointRouteBuilder MapMail(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var environment = endpoints.ServiceProvider.GetRequiredService<IHostEnvironment>();
        if (environment.IsDevelopment() && endpoints.ServiceProvider.GetRequiredService<IMailTransport>() is LocalOutboxTransport)
        {
            endpoints.MapLocalOutboxPages();
        }

        return endpoints;
    }
}
