using Azure.Core;
using Azure.Identity;
using FunctionsPortal.Mail;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunctionsPortal.Graph;

public static class GraphMailRegistration
{
    /// <summary>
    /// Registers <see cref="GraphMailTransport"/> (as itself, not as <see cref="IMailTransport"/>: the Graph feature picks
    /// the transport) with its <c>GraphMail</c> options, validated at start-up. Needs <see cref="GraphOptions"/> (AddGraph)
    /// for the sender mailbox; uses a registered <see cref="TokenCredential"/>, else DefaultAzureCredential.
    /// </summary>
    public static IServiceCollection AddGraphMailTransport(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<GraphMailOptions>()
            .BindConfiguration(GraphMailOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.TryAddSingleton<GraphMailTransport>();
        return services;
    }
}
