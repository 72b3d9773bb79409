using Microsoft.Extensions.Options;

namespace FunctionsPortal.Secrets;

public static class SecretsFeature
{
    /// <summary>Key Vault settings, validated at start-up (required in Azure).</summary>
    public static IHostApplicationBuilder AddSecrets(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SecretsOptions>()
            .BindConfiguration(SecretsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SecretsOptions>, SecretsOptionsValidator>();
        return builder;
    }
}
