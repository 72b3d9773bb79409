using FunctionsPortal.Checklists;

namespace FunctionsPortal.Tests.Checklists;

/// <summary>The kinds the settings are validated against at start-up, read without deserializing the checklists.</summary>
public sealed class DefaultChecklistKindsTests
{
    [Fact]
    public void EachDefaultChecklistsKindIsTheKindItsDefinitionDeclares()
    {
        Assert.All(DefaultChecklists.All, definition => Assert.Equal(definition.Kind, DefaultChecklists.KindOf(definition.Id)));
        Assert.Equal("termination", DefaultChecklists.KindOf("termination-certificate"));
        Assert.Null(DefaultChecklists.KindOf("no-such-checklist"));
    }
}
