using System.Security.Cryptography;
using FunctionsPortal.Checklists;

namespace FunctionsPortal.Tests.Checklists;

/// <summary>
/// Default checklists are versioned files: version 1 stays exactly as it shipped (surveys in flight use it), the
/// changes of issue 14 are version 2, and new surveys get the newest version.
/// </summary>
public sealed class DefaultChecklistVersionsTests
{
    /// <summary>SHA-256 of each <c>&lt;id&gt;.json</c> as committed before versioned files (git 1553c28).</summary>
    public static TheoryData<string, string> ShippedVersionOne() => new()
    {
        { "annual-full", "7abfff77b512a5ff3842608a6a8d9a5da174126c7b6181619d08d35bb94b583d" },
        { "annual-lite", "d39c00845c3b15fe1d397b3481960c9267f88b8262db064ed5fd95d85177d0e1" },
        { "due-diligence", "eb33bc285900ac35ba465006dad24af70b9a08082becb5222c50809ca74dfc4f" },
        { "interim-physical", "21e3aa7b2e0e216f7d613bca6fc2e4649a8245da87a3168acd01993c11464d89" },
        { "interim-technical", "a9d7f93ea188759eab82e71d0ad35014e844c5597ba6b1a9892bb0fa087419e7" },
        { "termination-certificate", "f6a6c29431571e3281f743b2ac40d1dd4c672a035ef6206a6f1a0c10fda10d96" },
    };

    [Theory]
    [MemberData(nameof(ShippedVersionOne))]
    public void VersionOneIsByteForByteTheFileThatShipped(string id, string sha256)
    {
        using var stream = typeof(DefaultChecklists).Assembly.GetManifestResourceStream($"Checklists.Defaults.{id}.v1.json");

        Assert.NotNull(stream);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(stream)));
        Assert.Equal(1, DefaultChecklists.Get(id, 1).Version);
    }

    [Fact]
    public void EveryDefaultHasVersionsOneAndTwoAndNewSurveysGetTwo()
    {
        var ids = DefaultChecklists.All.Select(definition => definition.Id).Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.Equal(6, ids.Count);
        Assert.All(ids, id => Assert.Equal([1, 2], DefaultChecklists.All.Where(definition => definition.Id == id).Select(definition => definition.Version).Order()));
        Assert.All(DefaultChecklists.Latest, definition => Assert.Equal(2, definition.Version));
        Assert.Equal(ids, DefaultChecklists.Latest.Select(definition => definition.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DerivedVersionTwoSelectsFromAnnualFullVersionTwoAndComesAfterIt()
    {
        var order = DefaultChecklists.All.Select((definition, index) => ((definition.Id, definition.Version), index)).ToDictionary(pair => pair.Item1, pair => pair.index);

        foreach (var id in new[] { "annual-lite", "interim-physical", "interim-technical" })
        {
            var derived = DefaultChecklists.Get(id, 2).DerivedFrom!;
            Assert.Equal(("annual-full", 2), (derived.Id, derived.Version));
            Assert.True(order[("annual-full", 2)] < order[(id, 2)]);
            Assert.Equal(1, DefaultChecklists.Get(id, 1).DerivedFrom!.Version);
        }
    }

    [Fact]
    public void VersionTwoKeepsEveryItemOfVersionOneAndAddsOnlyTheScopeBackupsClassificationAndPostFaxMail()
    {
        static IEnumerable<string> Ids(ChecklistDefinition definition) => definition.Sections!.SelectMany(section => section.Items).Select(item => item.Id);
        var v1 = Ids(DefaultChecklists.Get("annual-full", 1)).ToHashSet(StringComparer.Ordinal);
        var v2 = Ids(DefaultChecklists.Get("annual-full", 2)).ToHashSet(StringComparer.Ordinal);
        var ddV1 = Ids(DefaultChecklists.Get("due-diligence", 1)).ToHashSet(StringComparer.Ordinal);
        var ddV2 = Ids(DefaultChecklists.Get("due-diligence", 2)).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(
            ["GOV-08", "HDL-12", "HDL-13", "HDL-14", "SCP-01", "SCP-02", "SCP-03", "SCP-04", "SCP-05", "TEC-16", "TEC-17", "TEC-18", "TEC-19"],
            v2.Except(v1).Order(StringComparer.Ordinal));
        Assert.Empty(v1.Except(v2));
        Assert.Equal(["DD-34", "DD-35", "SCP-01", "SCP-02", "SCP-03", "SCP-04", "SCP-05"], ddV2.Except(ddV1).Order(StringComparer.Ordinal));
        Assert.Empty(ddV1.Except(ddV2));
    }
}
