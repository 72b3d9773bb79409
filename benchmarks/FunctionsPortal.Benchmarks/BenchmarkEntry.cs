namespace FunctionsPortal.Benchmarks;

/// <summary>
/// <c>npm run bench -- [dispatch|vendor|dashboard|actions|coldstart|all] [options]</c>: the first argument picks the benchmark.
/// Without one (or when it starts with <c>--</c>) the dispatch benchmark runs, as it always has.
/// </summary>
internal static class BenchmarkEntry
{
    public static Task<int> Main(string[] args) => args.FirstOrDefault() switch
    {
        null => DispatchBenchmark.RunAsync(args),
        "dispatch" => DispatchBenchmark.RunAsync(args[1..]),
        "vendor" => VendorBenchmark.RunAsync(args[1..]),
        "dashboard" => DashboardBenchmark.RunAsync(args[1..]),
        "actions" => ActionsBenchmark.RunAsync(args[1..]),
        "coldstart" => ColdStartBenchmark.RunAsync(args[1..]),
        "all" => AllBenchmarks.RunAsync(args[1..]),
        var first when first.StartsWith("--", StringComparison.Ordinal) => DispatchBenchmark.RunAsync(args),
        var unknown => Usage(unknown),
    };

    private static Task<int> Usage(string unknown)
    {
        Console.Error.WriteLine($"Unknown benchmark '{unknown}'. Usage:");
        Console.Error.WriteLine("  npm run bench -- [dispatch] [--count N]        plan, enqueue and send N invitations (default 10,000)");
        Console.Error.WriteLine("  npm run bench -- vendor [options]              the vendor pages over HTTP (see VendorBenchmark.cs):");
        Console.Error.WriteLine("      --clients N (20)  --duration S (20)  --warmup S (3)  --journeys N (10)  --concurrency N (5)  --registry N (1000, 0 = skip)");
        Console.Error.WriteLine("  npm run bench -- dashboard [options]           /staff and /staff/vendors at size (see DashboardBenchmark.cs):");
        Console.Error.WriteLine("      --vendors N (10000)  --assignments N (10000)  --clients N (5)  --duration S (20)  --warmup S (3)");
        Console.Error.WriteLine("  npm run bench -- actions [options]             accepting surveys with findings, task sync, follow-up, the action pages (see ActionsBenchmark.cs):");
        Console.Error.WriteLine("      --vendors N (200)  --clients N (5)  --duration S (10)  --warmup S (2)");
        Console.Error.WriteLine("  npm run bench -- coldstart [options]           the published portal vs a minimal ASP.NET Core app: exec → first 200, idle memory (see ColdStartBenchmark.cs):");
        Console.Error.WriteLine("      --runs N (7)  --idle S (5)  --republish (publish again even if the sources are unchanged)");
        Console.Error.WriteLine("  npm run bench -- all [--quick] [--skip NAME,...]  every benchmark above in turn, then one table of figures, targets and ratios");
        return Task.FromResult(2);
    }
}
