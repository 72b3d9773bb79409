using FunctionsPortal.Jobs;
using Microsoft.Extensions.Configuration;

namespace FunctionsPortal.Tests.Jobs;

public sealed class AppSettingReferencesTests
{
    private static readonly IConfiguration Configuration = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Schedules:Reminders"] = "0 0 9 * * *", ["QUEUE_NAME"] = "dispatch" })
        .Build();

    [Fact]
    public void ReferencesAreReplacedIncludingDoubleUnderscoreNesting()
    {
        Assert.Equal("0 0 9 * * *", AppSettingReferences.Resolve("%Schedules__Reminders%", Configuration));
        Assert.Equal("dispatch-poison", AppSettingReferences.Resolve("%QUEUE_NAME%-poison", Configuration));
        Assert.Equal("literal", AppSettingReferences.Resolve("literal", Configuration));
    }

    [Fact]
    public void AMissingSettingIsNamedInTheError()
    {
        var error = Assert.Throws<FunctionCatalogException>(() => AppSettingReferences.Resolve("%NOT_SET%", Configuration));

        Assert.Contains("NOT_SET", error.Message, StringComparison.Ordinal);
    }
}
