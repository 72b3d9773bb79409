using System.Threading.RateLimiting;
using FunctionsPortal.Hosting;
using FunctionsPortal.Surveys;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.VendorPages.Shell;

/// <summary>
/// Counts unknown tokens per client address: past <see cref="ThrottlingOptions.WrongTokensPerAddress"/> in a window the
/// address gets 429 before any lookup (guessing links stops costing us storage reads), one warning is logged and the
/// refusals are counted. Only unknown tokens count: a real link that expired is a vendor, not a guess.
/// </summary>
internal sealed partial class WrongTokenGuard : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly ThrottlingTelemetry _telemetry;
    private readonly ILogger<WrongTokenGuard> _logger;

    public WrongTokenGuard(IOptions<ThrottlingOptions> options, ThrottlingTelemetry telemetry, ILogger<WrongTokenGuard> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.Value;
        _telemetry = telemetry;
        _logger = logger;
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limits.WrongTokensPerAddress,
            Window = limits.Window,
            QueueLimit = 0,
        }));
    }

    /// <summary>How long the address must wait, when it has used up its wrong tokens for this window; null when it may try.</summary>
    public TimeSpan? Refusal(string address)
    {
        // Zero permits asks "are any left?" without using one.
        using var probe = _limiter.AttemptAcquire(address, permitCount: 0);
        if (probe.IsAcquired)
        {
            return null;
        }

        _telemetry.WrongToken("flood");
        return probe.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
    }

    /// <summary>Records a link that did not open; an unknown one uses up one of the address's wrong tokens.</summary>
    public void Record(string address, LinkState state)
    {
        _telemetry.WrongToken(state.ToString().ToLowerInvariant());
        if (state != LinkState.Unknown)
        {
            return;
        }

        using var lease = _limiter.AttemptAcquire(address);
        if (_limiter.GetStatistics(address)?.CurrentAvailablePermits == 0)
        {
            // The last permit of the window just went: once per window and address, however long the flood lasts.
            LogFlood(address);
        }
    }

    public void Dispose() => _limiter.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wrong vendor tokens from {ClientAddress} reached the limit; the address gets 429 until the window ends")]
    private partial void LogFlood(string clientAddress);
}
