using System.Diagnostics;
using System.Globalization;

namespace FunctionsPortal.Benchmarks;

/// <summary>Latencies in milliseconds with the percentiles the report prints (nearest rank).</summary>
internal sealed class Samples
{
    private readonly List<double> _values = [];

    public int Count => _values.Count;

    public IReadOnlyList<double> Values => _values;

    public void Add(double milliseconds) => _values.Add(milliseconds);

    public void AddRange(IEnumerable<double> milliseconds) => _values.AddRange(milliseconds);

    public double Percentile(double p)
    {
        if (_values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = _values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public string Describe(params double[] percentiles) =>
        string.Join("  ", percentiles.Select(p => $"p{p * 100:0} {Report.Ms(Percentile(p))} ms"));
}

/// <summary>What a closed-loop load run measured inside its window (after warm-up).</summary>
internal sealed record LoadResult(int Clients, TimeSpan Window, Samples Latencies, int Errors, string? FirstError, int WarmupRequests, long AllocatedBytes)
{
    public double Throughput => Latencies.Count / Window.TotalSeconds;

    /// <summary>Bytes allocated per request over the whole run (warm-up included), server and client together.</summary>
    public double AllocatedPerRequest => AllocatedBytes / (double)Math.Max(1, Latencies.Count + Errors + WarmupRequests);

    /// <summary>Runs of the same load in slices (interleaved with another), as one: their windows and requests added up.</summary>
    public static LoadResult Combine(IReadOnlyList<LoadResult> slices)
    {
        ArgumentNullException.ThrowIfNull(slices);
        var latencies = new Samples();
        foreach (var slice in slices)
        {
            latencies.AddRange(slice.Latencies.Values);
        }

        return new LoadResult(slices[0].Clients, TimeSpan.FromTicks(slices.Sum(slice => slice.Window.Ticks)), latencies, slices.Sum(slice => slice.Errors),
            slices.Select(slice => slice.FirstError).FirstOrDefault(error => error is not null), slices.Sum(slice => slice.WarmupRequests), slices.Sum(slice => slice.AllocatedBytes));
    }
}

/// <summary>
/// N clients, each sending its next request as soon as the previous one answered (a closed loop: no client waits for
/// another), for a warm-up and then a measured window. Only requests that start and finish inside the window count.
/// </summary>
internal static class LoadRun
{
    public static async Task<LoadResult> RunAsync<TClient>(
        IReadOnlyList<TClient> clients, Func<TClient, int, CancellationToken, Task<string?>> request, TimeSpan warmup, TimeSpan window)
    {
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(window.TotalSeconds * Stopwatch.Frequency);
        var perClient = await Task.WhenAll(clients.Select(client => Task.Run(async () =>
        {
            var latencies = new List<double>();
            var (errors, warmupRequests, sequence) = (0, 0, 0);
            string? firstError = null;
            while (Stopwatch.GetTimestamp() < measureTo)
            {
                var began = Stopwatch.GetTimestamp();
                string? error;
                try
                {
                    error = await request(client, sequence++, CancellationToken.None);
                }
                catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or TaskCanceledException or IOException)
                {
                    error = $"{exception.GetType().Name}: {exception.Message}";
                }

                var ended = Stopwatch.GetTimestamp();
                if (began < measureFrom || ended > measureTo)
                {
                    warmupRequests++;
                }
                else if (error is null)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(began, ended).TotalMilliseconds);
                }
                else
                {
                    errors++;
                    firstError ??= error;
                }
            }

            return (latencies, errors, firstError, warmupRequests);
        })));

        var samples = new Samples();
        foreach (var result in perClient)
        {
            samples.AddRange(result.latencies);
        }

        return new LoadResult(clients.Count, window, samples, perClient.Sum(result => result.errors), perClient.Select(result => result.firstError).FirstOrDefault(error => error is not null),
            perClient.Sum(result => result.warmupRequests), GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
    }
}

/// <summary>Plain lines, easy to quote: thousands separated, milliseconds rounded.</summary>
internal static class Report
{
    /// <summary>Width of the first column (the scenario's name).</summary>
    public const int Width = 24;

    public static string Ms(double milliseconds) => double.IsNaN(milliseconds) ? "–"
        : milliseconds >= 100 ? milliseconds.ToString("N0", CultureInfo.InvariantCulture)
        : milliseconds.ToString("0.0", CultureInfo.InvariantCulture);

    public static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string MiB(long bytes) => (bytes / 1024d / 1024d).ToString("N0", CultureInfo.InvariantCulture);

    public static void Line(string text) => Console.WriteLine(text);

    public static void Load(string name, LoadResult result)
    {
        Line($"{name,-Width}{result.Clients} clients  {result.Window.TotalSeconds:0} s  {N(result.Latencies.Count)} req  {N(result.Throughput)} req/s  " +
             $"{result.Latencies.Describe(0.50, 0.95, 0.99)}  {result.Errors} errors  ({N(result.AllocatedPerRequest / 1024)} KiB allocated per request, server + client)");
        if (result.FirstError is { } error)
        {
            Line($"{"",-Width}first error: {error}");
        }
    }
}
