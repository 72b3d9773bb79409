namespace FunctionsPortal.Checklists;

/// <summary>A checklist version with its items materialized (a derived checklist's selection applied).</summary>
public sealed record ResolvedChecklist(ChecklistDefinition Definition, IReadOnlyList<ChecklistSection> Sections)
{
    public IEnumerable<(ChecklistSection Section, ChecklistItem Item)> Items =>
        Sections.SelectMany(section => section.Items.Select(item => (section, item)));

    public ChecklistItem? FindItem(string id) => Items.Select(pair => pair.Item).FirstOrDefault(item => item.Id == id);

    /// <summary>Materializes <paramref name="definition"/>; a derived one needs its parent (already resolved).</summary>
    public static ResolvedChecklist Resolve(ChecklistDefinition definition, ResolvedChecklist? parent)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.DerivedFrom is not { } derived)
        {
            return new ResolvedChecklist(definition, definition.Sections ?? []);
        }

        if (parent is null || parent.Definition.Id != derived.Id || parent.Definition.Version != derived.Version)
        {
            throw new InvalidOperationException($"{definition.Id} v{definition.Version} derives from {derived.Id} v{derived.Version}, which was not given.");
        }

        var sections = derived.Sections?.ToHashSet(StringComparer.Ordinal) ?? [];
        var items = derived.Items?.ToHashSet(StringComparer.Ordinal) ?? [];
        var selected = parent.Sections
            .Select(section => sections.Contains(section.Id) ? section : section with { Items = section.Items.Where(item => items.Contains(item.Id)).ToList() })
            .Where(section => section.Items.Count > 0)
            .ToList();
        return new ResolvedChecklist(definition, selected);
    }
}
