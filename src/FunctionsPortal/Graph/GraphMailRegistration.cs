using Azure.Core;
using Azure.Identity;
using FunctionsPortal.Mail;
using FunctionsPortal.Settings;
using FunctionsPortal.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunctionsPortal.Graph;

public static class GraphMailRegistration
{
    /// <summary>
    /// Registers <see cref="GraphMailTransport"/> (as itself, not as <see cref="IMailTransport"/>: the Graph feature picks
    /// the transport) with its <c>GraphMail</c> options, validated at start-up, and the <see cref="MailboxLimiter"/> with its
    /// table. Needs <see cref="GraphOptions"/> (AddGraph) for the sender mailboxes and <see cref="PortalStorage"/> (AddStorage);
    /// uses a registered <see cref="TokenCredential"/>, else DefaultAzureCredential.
    /// </summary>
    public static IServiceCollection AddGraphMailTransport(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<GraphMailOptions>()
            .BindConfiguration(GraphMailOptions.SectionName)
            .ValidateWith(new ValidateGraphMailOptions())
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.TryAddSingleton<MailboxLimiter>();
        services.TryAddSingleton<GraphMailTransport>();
        services.AddStorageResource(StorageResourceKind.Table, MailboxLimiter.TableName);
        return services;
    }
}
