using System.Text.Json;
using Microsoft.Playwright;

namespace FunctionsPortal.Tests.Fixtures;

/// <summary>
/// Runs axe-core (installed by `npm ci`) in the page against WCAG 2.x A and AA rules and returns each violation as
/// "rule (impact): first offending element" — a real engine, so a missing label or poor contrast fails the test.
/// The page's context must bypass CSP, because axe is injected as an inline script.
/// </summary>
public static class Accessibility
{
    private static readonly Lazy<string> Script = new(() =>
    {
        var path = Path.Combine(RepositoryRoot.Path, "node_modules", "axe-core", "axe.min.js");
        return File.Exists(path) ? File.ReadAllText(path) : throw new InvalidOperationException($"axe-core is not installed ({path}): run the README test command (npm test), which runs npm ci.");
    });

    public static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Content = Script.Value });
        var violations = await page.EvaluateAsync<JsonElement>(
            """
            async () => (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }))
                .violations.map(v => `${v.id} (${v.impact}): ${v.nodes[0].target.join(' ')} — ${v.help}`)
            """);
        return violations.EnumerateArray().Select(violation => violation.GetString()!).ToList();
    }
}
