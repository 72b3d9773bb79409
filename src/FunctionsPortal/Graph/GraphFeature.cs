using FunctionsPortal.Mail;

namespace FunctionsPortal.Graph;

public static class GraphFeature
{
    /// <summary>
    /// Microsoft Graph settings, validated at start-up, and — when a sender mailbox is configured — Graph as the way
    /// mail leaves (<see cref="IMailTransport"/>); otherwise AddMail falls back to its local outbox.
    /// </summary>
    public static IHostApplicationBuilder AddGraph(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<GraphOptions>()
            .BindConfiguration(GraphOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddGraphMailTransport();
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{GraphOptions.SectionName}:{nameof(GraphOptions.SenderMailbox)}"]))
        {
            builder.Services.AddSingleton<IMailTransport>(services => services.GetRequiredService<GraphMailTransport>());
        }

        return builder;
    }
}
