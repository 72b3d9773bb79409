using FunctionsPortal.Mail;

namespace FunctionsPortal.Graph;

public static class GraphFeature
{
    /// <summary>
    /// Microsoft Graph settings, validated at start-up, and — when sender mailboxes are configured — Graph as the way
    /// mail leaves (<see cref="IMailTransport"/>); otherwise AddMail falls back to its local outbox.
    /// </summary>
    public static IHostApplicationBuilder AddGraph(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<GraphOptions>()
            .BindConfiguration(GraphOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) => options.AddSeparatedMailboxes(configuration.GetSection(GraphOptions.SectionName).GetSection(nameof(GraphOptions.SenderMailboxes))))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddGraphMailTransport();
        if (GraphOptions.IsMailConfigured(builder.Configuration))
        {
            builder.Services.AddSingleton<IMailTransport>(services => services.GetRequiredService<GraphMailTransport>());
        }

        return builder;
    }
}
