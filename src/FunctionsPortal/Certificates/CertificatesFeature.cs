using FunctionsPortal.Jobs;
using FunctionsPortal.Mail;
using FunctionsPortal.Settings;

namespace FunctionsPortal.Certificates;

public static class CertificatesFeature
{
    /// <summary>Certificate expiry: its state on the vendor page and the daily warning to the internal owner.</summary>
    public static IHostApplicationBuilder AddCertificates(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<CertificateOptions>().BindConfiguration(CertificateOptions.SectionName).ValidateWith(new ValidateCertificateOptions()).ValidateOnStart();
        builder.Services.AddSingleton<IMailComposer, CertificateMailComposer>();
        builder.Services.AddFunctionJob<CheckCertificatesJob>(CheckCertificatesJob.FunctionName);
        return builder;
    }
}
