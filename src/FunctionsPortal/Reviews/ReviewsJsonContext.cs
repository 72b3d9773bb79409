using System.Text.Json;
using System.Text.Json.Serialization;

namespace FunctionsPortal.Reviews;

/// <summary>The request bodies of this capability's API, as source-generated JSON metadata (see <c>HttpJsonTypes</c>).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AcceptRequest))]
[JsonSerializable(typeof(ChangesRequest))]
[JsonSerializable(typeof(NoteRequest))]
[JsonSerializable(typeof(ReassessRequest))]
internal sealed partial class ReviewsJsonContext : JsonSerializerContext;
