using System.Reflection;
using System.Text.Json.Nodes;
using FunctionsPortal.Storage;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Deployment;

/// <summary>
/// What infra/ gives the app must match what the app binds: no setting the app ignores, none it needs missing,
/// the host's queue triggers and the app on the same account, and every table and queue the app uses provisioned.
/// </summary>
public sealed class InfraDriftTests(AzuriteFixture azurite, InfraDriftTests.CompiledInfra infra) : IClassFixture<InfraDriftTests.CompiledInfra>
{
    /// <summary>Settings read by the platform or the SDKs rather than by our options classes, and why.</summary>
    private static readonly Dictionary<string, string> PlatformSettings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AzureWebJobsStorage__credential"] = "Functions host storage (triggers, timer locks)",
        ["AzureWebJobsStorage__clientId"] = "Functions host storage",
        ["AzureWebJobsStorage__blobServiceUri"] = "Functions host storage",
        ["AzureWebJobsStorage__queueServiceUri"] = "Functions host storage",
        ["AzureWebJobsStorage__tableServiceUri"] = "Functions host storage",
        ["AZURE_CLIENT_ID"] = "DefaultAzureCredential picks the user-assigned identity",
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "read by TelemetrySetup",
        ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "read by TelemetrySetup",
        ["OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID"] = "Easy Auth: secretless sign-in with the managed identity",
        ["FUNCTIONS_REQUEST_BODY_SIZE_LIMIT"] = "The Functions host: largest HTTP request body it passes on (evidence uploads)",
        ["WEBSITE_AUTH_AAD_ALLOWED_TENANTS"] = "Easy Auth: tenant restriction",
    };

    /// <summary>Settings the app cannot run in Azure without.</summary>
    private static readonly string[] RequiredInAzure =
    [
        "Storage__blobServiceUri", "Storage__queueServiceUri", "Storage__tableServiceUri", "Storage__clientId",
        "Secrets__VaultUri", "Secrets__SigningKeySecretName",
        "Graph__SenderMailboxes", "Graph__PlannerPlanId", "Graph__PlannerBucketId",
        "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
        "Surveys__PortalBaseUrl", "Surveys__ContactEmail", "Surveys__PlanningSchedule", "Surveys__ReminderSchedule",
        "Mail__SweepSchedule",
    ];

    /// <summary>Provisioned ahead of the capability that will use it (infra must create it with its policy).</summary>
    private static readonly Dictionary<string, string> ProvisionedAhead = new(StringComparer.Ordinal)
    {
        ["container:sealed"] = "sealed submissions, write-once with a version-level immutability policy only infra can set",
    };

    private readonly CompiledInfra _infra = infra;

    [Fact]
    public void EverySettingInfraGivesTheAppIsOneTheAppOrThePlatformReads()
    {
        var bound = AppBoundSettings();
        var unknown = _infra.AppSettings.Keys.Where(name => !bound.Contains(name) && !PlatformSettings.ContainsKey(name)).ToList();

        Assert.True(unknown.Count == 0, $"infra sets settings nothing reads: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void EverySettingTheAppNeedsInAzureIsProvisioned()
    {
        var missing = RequiredInAzure.Where(name => !_infra.AppSettings.ContainsKey(name)).ToList();

        Assert.True(missing.Count == 0, $"infra does not set: {string.Join(", ", missing)}");
        Assert.All(RequiredInAzure.Where(name => name.Contains("__", StringComparison.Ordinal)), name => Assert.Contains(name, AppBoundSettings()));
    }

    [Fact]
    public void EveryAppSettingAFunctionJsonReferencesIsProvisioned()
    {
        // The Functions host resolves %Name% in function.json from app settings only (not from appsettings.json).
        var referenced = Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "src", "FunctionsPortal", "Functions"), "function.json", SearchOption.AllDirectories)
            .SelectMany(file => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(file), "%([A-Za-z0-9_]+)%").Select(match => match.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(referenced);
        Assert.All(referenced, name => Assert.True(_infra.AppSettings.ContainsKey(name), $"function.json references %{name}% but infra does not set it"));
    }

    [Theory]
    [InlineData("credential")]
    [InlineData("clientId")]
    [InlineData("blobServiceUri")]
    [InlineData("queueServiceUri")]
    [InlineData("tableServiceUri")]
    public void QueueTriggersAndTheAppUseTheSameStorageAccountAndIdentity(string key)
    {
        Assert.Equal(_infra.AppSettings[$"AzureWebJobsStorage__{key}"], _infra.AppSettings[$"Storage__{key}"]);
    }

    [Fact]
    public void TheFunctionAppRunsTheCustomHandlerRuntimeOnFlexConsumption()
    {
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", _infra.AppSettings.Keys);
        var runtime = _infra.FindObjects(node => node["runtime"] is JsonObject runtime && Text(runtime["name"]) == "custom").ToList();
        Assert.Single(runtime);
        Assert.Single(_infra.FindObjects(node => Text(node["name"]) == "FC1" && Text(node["tier"]) == "FlexConsumption"));
    }

    [Fact]
    public void TheSigningKeySecretTheAppReadsIsTheOneInfraCreates()
    {
        var appDefault = new FunctionsPortal.Secrets.SecretsOptions().SigningKeySecretName;

        Assert.Contains("signingKeySecretName", _infra.AppSettings["Secrets__SigningKeySecretName"], StringComparison.Ordinal);
        Assert.Contains($"var signingKeySecretName = '{appDefault}'", File.ReadAllText(Path.Combine(RepositoryRoot.Path, "infra", "main.bicep")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryTableQueueAndContainerTheAppUsesIsProvisioned()
    {
        await using var app = new PortalApplication(azurite);
        var declared = app.Services.GetRequiredService<IEnumerable<StorageResource>>()
            .Select(resource => $"{resource.Kind.ToString().ToLowerInvariant()}:{resource.LogicalName}").ToHashSet(StringComparer.Ordinal);
        var resources = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "infra", "storage-resources.json")))!;
        var provisioned = new[] { ("table", "tables"), ("queue", "queues"), ("container", "containers") }
            .SelectMany(kind => resources[kind.Item2]!.AsArray().Select(name => $"{kind.Item1}:{name!.GetValue<string>()}"))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Empty(declared.Except(provisioned));
        Assert.Empty(provisioned.Except(declared).Except(ProvisionedAhead.Keys));
        Assert.Contains("storage-resources.json", File.ReadAllText(Path.Combine(RepositoryRoot.Path, "infra", "modules", "storage.bicep")), StringComparison.Ordinal);
    }

    [Fact]
    public void TheFunctionAppIsTaggedWithTheServiceNameAzureYamlDeploys()
    {
        var azureYaml = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "azure.yaml"));

        Assert.Contains("  portal:", azureYaml, StringComparison.Ordinal);
        Assert.Contains("host: function", azureYaml, StringComparison.Ordinal);
        Assert.Contains("'azd-service-name': 'portal'", File.ReadAllText(Path.Combine(RepositoryRoot.Path, "infra", "main.bicep")), StringComparison.Ordinal);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>"Section__Property" for every public settable property of every options class (a type with a SectionName constant).</summary>
    private static HashSet<string> AppBoundSettings() =>
        typeof(StorageOptions).Assembly.GetTypes()
            .Select(type => (type, section: type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
            .Where(pair => pair.section is not null)
            .SelectMany(pair => pair.type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(property => property.SetMethod?.IsPublic == true)
                .Select(property => $"{pair.section}__{property.Name}"))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>infra/main.bicep compiled to an ARM template once per test class.</summary>
    public sealed class CompiledInfra : IAsyncLifetime
    {
        public string Json { get; private set; } = "";

        public Dictionary<string, string> AppSettings { get; } = new(StringComparer.OrdinalIgnoreCase);

        private JsonNode? _root;

        public async ValueTask InitializeAsync()
        {
            var (exitCode, output, diagnostics) = await BicepCli.RunAsync(CancellationToken.None, "build", Path.Combine("infra", "main.bicep"), "--stdout");
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"infra/main.bicep does not compile:\n{diagnostics}");
            }

            Json = output;
            _root = JsonNode.Parse(output);
            foreach (var settings in FindObjects(node => node["appSettings"] is JsonArray).Select(node => node["appSettings"]!.AsArray()))
            {
                foreach (var setting in settings.OfType<JsonObject>())
                {
                    AppSettings[setting["name"]!.GetValue<string>()] = setting["value"]?.ToJsonString() ?? "";
                }
            }
        }

        public IEnumerable<JsonObject> FindObjects(Func<JsonObject, bool> predicate)
        {
            var pending = new Stack<JsonNode?>([_root]);
            while (pending.Count > 0)
            {
                switch (pending.Pop())
                {
                    case JsonObject obj:
                        if (predicate(obj))
                        {
                            yield return obj;
                        }

                        foreach (var (_, child) in obj)
                        {
                            pending.Push(child);
                        }

                        break;
                    case JsonArray array:
                        foreach (var child in array)
                        {
                            pending.Push(child);
                        }

                        break;
                }
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
