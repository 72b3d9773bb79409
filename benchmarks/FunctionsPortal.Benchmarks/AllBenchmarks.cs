using System.Diagnostics;

namespace FunctionsPortal.Benchmarks;

/// <summary>
/// <c>npm run bench -- all [--quick] [--skip NAME,...]</c>: dispatch, the vendor pages, the dashboard, actions, cold start
/// and idle memory in turn, then one table of every figure with its target and ratio (<see cref="Scorecard"/>) and the
/// total time. <c>--quick</c> shrinks each run (fewer invitations, vendors, seconds and starts) for a smoke test, not for
/// figures to quote. Exits non-zero when a benchmark failed (an error, not a missed target: the table says that).
/// </summary>
internal static class AllBenchmarks
{
    private static readonly string[] Names = ["dispatch", "vendor", "dashboard", "actions", "coldstart"];

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var skip = args.SkipWhile(arg => arg != "--skip").Skip(1).FirstOrDefault()?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (args.FirstOrDefault(arg => arg.StartsWith("--", StringComparison.Ordinal) && arg is not "--quick" and not "--skip") is not null
            || skip.FirstOrDefault(name => !Names.Contains(name)) is not null)
        {
            Console.Error.WriteLine($"The all benchmark takes --quick and --skip NAME,... with names from {string.Join(", ", Names)}.");
            return 2;
        }

        var steps = new (string Name, Func<Task<int>> Run)[]
        {
            ("dispatch", () => DispatchBenchmark.RunAsync(quick ? ["--count", "200"] : ["--counts", "1000,10000"])),
            ("vendor", () => VendorBenchmark.RunAsync(quick ? ["--clients", "5", "--duration", "5", "--warmup", "1", "--journeys", "3", "--registry", "0"] : [])),
            ("dashboard", () => DashboardBenchmark.RunAsync(quick ? ["--vendors", "1000", "--assignments", "1000", "--duration", "5", "--warmup", "1"] : [])),
            ("actions", () => ActionsBenchmark.RunAsync(quick ? ["--vendors", "50", "--duration", "3", "--warmup", "1"] : [])),
            ("coldstart", () => ColdStartBenchmark.RunAsync(quick ? ["--runs", "3", "--idle", "2"] : [])),
        };

        var total = Stopwatch.StartNew();
        var failed = new List<string>();
        foreach (var (name, run) in steps.Where(step => !skip.Contains(step.Name)))
        {
            Console.WriteLine();
            Console.WriteLine($"=== {name} ({total.Elapsed:mm\\:ss} so far) ===");
            int exitCode;
            try
            {
                exitCode = await run();
            }
            // One benchmark that throws must not hide the others' figures: it is reported and fails the whole run.
            catch (Exception exception)
            {
                Console.Error.WriteLine($"{name} failed: {exception}");
                exitCode = 1;
            }

            if (exitCode != 0)
            {
                failed.Add(name);
            }

            // Each benchmark's portal and caches are gone before the next one measures.
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Console.WriteLine();
        Console.WriteLine($"=== Scorecard: npm run bench -- all{(quick ? " --quick (smoke run: not figures to quote)" : "")}, {Environment.ProcessorCount} cores, .NET {Environment.Version} ===");
        Scorecard.Print(Console.Out);
        Console.WriteLine();
        Console.WriteLine($"Total {total.Elapsed:h\\:mm\\:ss}; {(failed.Count == 0 ? "every benchmark ran" : "FAILED: " + string.Join(", ", failed))}");
        return failed.Count == 0 ? 0 : 1;
    }
}
