using FunctionsPortal.Hosting;
using FunctionsPortal.Storage;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Jobs;

/// <summary>
/// Start-up check that function.json files and registered jobs agree, so a typo fails the deployment at boot
/// instead of leaving a timer that never runs.
/// </summary>
internal sealed class FunctionCatalogValidator(
    IEnumerable<FunctionJobRegistration> registrations,
    IConfiguration configuration,
    HostingMode hostingMode,
    IOptions<StorageOptions> storageOptions) : IValidateOptions<JobsOptions>
{
    public ValidateOptionsResult Validate(string? name, JobsOptions options)
    {
        FunctionCatalog catalog;
        try
        {
            catalog = FunctionCatalog.Load(options.AppRoot);
        }
        catch (FunctionCatalogException exception)
        {
            return ValidateOptionsResult.Fail(exception.Message);
        }

        var failures = new List<string>();
        var registered = registrations.ToDictionary(registration => registration.FunctionName, StringComparer.OrdinalIgnoreCase);

        foreach (var function in catalog.Functions)
        {
            try
            {
                CheckFunction(function, registered, failures);
            }
            catch (FunctionCatalogException exception)
            {
                failures.Add(exception.Message);
            }
        }

        foreach (var registration in registered.Values)
        {
            var function = catalog.Find(registration.FunctionName);
            if (function is null)
            {
                failures.Add($"Job {registration.JobType.Name} is registered as '{registration.FunctionName}', but {registration.FunctionName}/function.json does not exist in {catalog.Root}.");
            }
            else if (function.Kind == TriggerKind.Http)
            {
                failures.Add($"'{registration.FunctionName}' is an HTTP function; HTTP is served by ASP.NET Core routes, not jobs.");
            }
        }

        if (hostingMode.IsFunctionsHost && storageOptions.Value.ResourcePrefix.Length > 0 && catalog.Functions.Any(function => function.Kind == TriggerKind.Queue))
        {
            failures.Add("Storage:ResourcePrefix must be empty under the Functions host: its queue triggers listen on the queue names written in function.json.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void CheckFunction(FunctionDefinition function, Dictionary<string, FunctionJobRegistration> registered, List<string> failures)
    {
        if (function.Kind == TriggerKind.Http)
        {
            var route = function.Trigger.GetString("route");
            if (string.IsNullOrWhiteSpace(route) || route.TrimStart('/').StartsWith('{'))
            {
                failures.Add($"{function.Name}/function.json: an HTTP function needs an explicit route prefix (a bare catch-all would expose the function invocation endpoints).");
            }

            return;
        }

        if (function.Kind == TriggerKind.Other)
        {
            failures.Add($"{function.Name}/function.json: trigger type '{function.Trigger.Type}' is not supported (timerTrigger and queueTrigger are).");
            return;
        }

        if (!registered.ContainsKey(function.Name))
        {
            failures.Add($"{function.Name}/function.json has a {function.Trigger.Type} but no job is registered for it (AddFunctionJob<T>(\"{function.Name}\")).");
        }

        foreach (var binding in function.Bindings.Where(binding => !binding.IsInput))
        {
            failures.Add($"{function.Name}/function.json: output binding '{binding.Name}' is not supported; jobs write through the storage clients so standalone mode behaves the same.");
        }

        if (function.Kind == TriggerKind.Timer)
        {
            _ = TimerSchedule.For(function, configuration);
        }
        else
        {
            var queueName = function.Trigger.GetString("queueName")
                            ?? throw new FunctionCatalogException($"{function.Name}/function.json: the queue trigger has no queueName.");
            _ = AppSettingReferences.Resolve(queueName, configuration);
            var connection = function.Trigger.GetString("connection");
            if (connection is not null && !string.Equals(connection, StorageOptions.SectionName, StringComparison.Ordinal))
            {
                failures.Add($"{function.Name}/function.json: connection '{connection}' is not supported; use \"{StorageOptions.SectionName}\", the app's storage account.");
            }
        }
    }
}
