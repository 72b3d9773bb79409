using System.ComponentModel.DataAnnotations;
using System.Reflection;
using FunctionsPortal.Graph;
using FunctionsPortal.Incidents;
using FunctionsPortal.Storage;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Tests.Settings;

/// <summary>
/// Every settings section is validated on start by a validator the Options source generator wrote
/// (<c>[OptionsValidator]</c>), not by <c>ValidateDataAnnotations</c>, which reflects over each type before a cold
/// instance can answer (decision 025). The rules themselves must not be lost on the way.
/// </summary>
public sealed class GeneratedOptionsValidatorsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PortalApplication _app = null!;

    public ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void EverySettingsSectionWithRulesHasAGeneratedValidatorAndNoReflectingOne()
    {
        var sections = SettingsTypesWithRules().Where(IsBoundFromConfiguration).ToList();
        Assert.True(sections.Count >= 18, $"only {sections.Count} settings types with rules were found: are the options types still read?");

        var problems = new List<string>();
        foreach (var type in sections)
        {
            var validators = Validators(type);
            if (!validators.Any(validator => validator.GetCustomAttribute<OptionsValidatorAttribute>() is not null))
            {
                problems.Add($"{type.Name} has no [OptionsValidator] validator");
            }

            if (validators.Any(validator => validator.IsGenericType && validator.GetGenericTypeDefinition() == typeof(DataAnnotationValidateOptions<>)))
            {
                problems.Add($"{type.Name} is validated by reflection (ValidateDataAnnotations)");
            }
        }

        Assert.True(problems.Count == 0, string.Join("; ", problems));
    }

    [Fact]
    public void NoSettingUsesAPlainRangeWhoseGeneratedCopyWouldDropItsMessage()
    {
        var plain = SettingsTypesWithRules()
            .SelectMany(type => type.GetProperties().Select(property => (type, property)))
            .Where(member => member.property.GetCustomAttributes<RangeAttribute>().Any(range => range.GetType() == typeof(RangeAttribute)))
            .Select(member => $"{member.type.Name}.{member.property.Name}")
            .ToList();

        Assert.True(plain.Count == 0, "use [SettingRange] (dotnet/runtime#123137): " + string.Join(", ", plain));
    }

    [Fact]
    public void ARangeMessageReachesTheOperator()
    {
        var result = new ValidateGraphMailOptions().Validate(Options.DefaultName, new GraphMailOptions { MaxConcurrentRequests = 5 });

        Assert.True(result.Failed);
        Assert.Contains("GraphMail:MaxConcurrentRequests must be 1-4", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ASectionValidatedOnlyByReflectionIsReported()
    {
        using var services = new ServiceCollection()
            .AddOptions<StorageOptions>().ValidateDataAnnotations().Services
            .BuildServiceProvider();

        var validators = services.GetServices<IValidateOptions<StorageOptions>>().Select(validator => validator.GetType()).ToList();

        Assert.DoesNotContain(validators, validator => validator.GetCustomAttribute<OptionsValidatorAttribute>() is not null);
        Assert.Contains(validators, validator => validator.IsGenericType && validator.GetGenericTypeDefinition() == typeof(DataAnnotationValidateOptions<>));
    }

    [Fact]
    public void TheGeneratedValidatorKeepsAttributeRulesAndTheTypesOwnChecks()
    {
        var validator = new ValidateStorageOptions();

        var badPrefix = validator.Validate(Options.DefaultName, new StorageOptions { ConnectionString = "UseDevelopmentStorage=true", ResourcePrefix = "Not-Lowercase" });
        var noAccount = validator.Validate(Options.DefaultName, new StorageOptions());
        var valid = validator.Validate(Options.DefaultName, new StorageOptions { ConnectionString = "UseDevelopmentStorage=true", ResourcePrefix = "t1" });

        Assert.True(badPrefix.Failed);
        Assert.Contains("Storage:ResourcePrefix must be empty or 1-16 lowercase letters", badPrefix.FailureMessage, StringComparison.Ordinal);
        Assert.True(noAccount.Failed);
        Assert.Contains("Storage:BlobServiceUri", noAccount.FailureMessage, StringComparison.Ordinal);
        Assert.True(valid.Succeeded);
    }

    [Fact]
    public void TheIncidentReportersOwnRulesAreStillChecked()
    {
        var validator = new ValidateIncidentOptions();
        var options = new IncidentOptions { Reporter = { Name = "株式会社サンプル", CorporateNumber = "123456789012" } };

        var twelveDigits = validator.Validate(Options.DefaultName, options);
        options.Reporter.CorporateNumber = "1234567890123";
        var thirteenDigits = validator.Validate(Options.DefaultName, options);

        Assert.True(twelveDigits.Failed);
        Assert.Contains("Reporter.CorporateNumber", twelveDigits.FailureMessage, StringComparison.Ordinal);
        Assert.True(thirteenDigits.Succeeded, thirteenDigits.FailureMessage);
    }

    private List<Type> Validators(Type options) =>
        ((IEnumerable<object>)_app.Services.GetServices(typeof(IValidateOptions<>).MakeGenericType(options))!)
        .Select(validator => validator.GetType())
        .ToList();

    private bool IsBoundFromConfiguration(Type options) =>
        _app.Services.GetService(typeof(IOptionsChangeTokenSource<>).MakeGenericType(options)) is not null;

    private static IEnumerable<Type> SettingsTypesWithRules() =>
        typeof(StorageOptions).Assembly.GetTypes().Where(type =>
            type is { IsClass: true, IsAbstract: false } &&
            (typeof(IValidatableObject).IsAssignableFrom(type) ||
             type.GetProperties().Any(property => property.GetCustomAttributes<ValidationAttribute>().Any())));
}
