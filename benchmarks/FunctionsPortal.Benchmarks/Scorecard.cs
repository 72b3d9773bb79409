using System.Globalization;

namespace FunctionsPortal.Benchmarks;

/// <summary>Whether a figure should stay under its target (storage operations, latency) or reach it (throughput).</summary>
internal enum Goal
{
    AtMost,
    AtLeast,
}

/// <summary>
/// One figure for <c>npm run bench -- all</c>: what was measured, the value, the target it is held to and the
/// ratio value ÷ target (so ≤ 1 meets an <see cref="Goal.AtMost"/> target and ≥ 1 an <see cref="Goal.AtLeast"/> one).
/// A figure without a target is printed for information.
/// </summary>
internal sealed record BenchmarkFigure(string Area, string Measure, double Value, string Unit, double? Target = null, Goal Goal = Goal.AtMost)
{
    public double? Ratio => Target is { } target && target != 0 ? Value / target : null;

    public bool? Met => Target is { } target ? Goal == Goal.AtMost ? Value <= target : Value >= target : null;
}

/// <summary>
/// The figures every benchmark reports as it runs; <c>npm run bench -- all</c> prints them as one table at the end.
/// A benchmark run on its own adds to it too (and prints its own report as before).
/// </summary>
internal static class Scorecard
{
    private static readonly List<BenchmarkFigure> FiguresSoFar = [];
    private static readonly Lock Gate = new();

    public static IReadOnlyList<BenchmarkFigure> Figures
    {
        get
        {
            lock (Gate)
            {
                return [.. FiguresSoFar];
            }
        }
    }

    public static void Add(BenchmarkFigure figure)
    {
        lock (Gate)
        {
            FiguresSoFar.Add(figure);
        }
    }

    public static void Add(string area, string measure, double value, string unit, double? target = null, Goal goal = Goal.AtMost) =>
        Add(new BenchmarkFigure(area, measure, value, unit, target, goal));

    /// <summary>The table: area, measure, value, target (≤ or ≥), ratio and whether it is met; one row per figure.</summary>
    public static void Print(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var figures = Figures;
        var areaWidth = Math.Max(8, figures.Select(figure => figure.Area.Length).DefaultIfEmpty(0).Max() + 2);
        var measureWidth = Math.Max(10, figures.Select(figure => figure.Measure.Length).DefaultIfEmpty(0).Max() + 2);
        writer.WriteLine($"{"Area".PadRight(areaWidth)}{"Measure".PadRight(measureWidth)}{"Value",14}  {"Target",14}  {"Ratio",7}  Met");
        foreach (var figure in figures)
        {
            var target = figure.Target is { } t ? $"{(figure.Goal == Goal.AtMost ? "≤" : "≥")} {Number(t)}" : "–";
            var ratio = figure.Ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "–";
            var met = figure.Met switch { true => "yes", false => "NO", null => "" };
            writer.WriteLine($"{figure.Area.PadRight(areaWidth)}{figure.Measure.PadRight(measureWidth)}{Number(figure.Value) + " " + figure.Unit,14}  {target,14}  {ratio,7}  {met}");
        }
    }

    private static string Number(double value) =>
        Math.Abs(value) >= 100 || value == Math.Floor(value) ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.0#", CultureInfo.InvariantCulture);
}
