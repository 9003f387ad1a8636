using EventChat.Api.Auth;
using EventChat.Api.Chat;
using EventChat.Api.Delivery;
using EventChat.Api.Errors;
using EventChat.Api.Health;
using EventChat.Api.Limits;
using EventChat.Api.Logging;
using EventChat.Api.Moderation;
using EventChat.Api.Notifications;
using EventChat.Api.Presence;
using EventChat.Api.Retention;
using EventChat.Api.Rooms;
using EventChat.Api.Web;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Messaging;
using EventChat.Infrastructure.Redis;
using EventChat.Workers;

var builder = WebApplication.CreateBuilder(args);
var roles = WorkerRoles.FromConfiguration(builder.Configuration);

builder.Logging.RedactTokens();

builder.Services.AddChatData(builder.Configuration);
builder.Services.AddHotState(builder.Configuration);
builder.Services.AddChatAuth(builder.Configuration, builder.Environment);
builder.Services.AddChatEdge(builder.Configuration);
builder.Services.AddChatPresence(builder.Configuration);
builder.Services.AddWorkerRoleServices(builder.Configuration, roles);
builder.Services.AddChatMessaging(builder.Configuration, bus =>
{
    bus.AddEdgeDelivery();
    bus.AddWorkerConsumers(roles);
});
builder.Services.AddChatHealthChecks();
builder.Services.AddChatErrors();
builder.Services.AddChatLimits(builder.Configuration);
builder.Services.AddChatWeb(builder.Configuration);

var app = builder.Build();
await app.MigrateDatabaseAsync();

app.UseChatWeb();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();
app.UseChatLimits();
app.MapAuthEndpoints();
app.MapRoomEndpoints();
app.MapModerationEndpoints();
app.MapNotificationEndpoints();
app.MapPresenceEndpoints();
app.MapRetentionEndpoints();
app.MapHub<ChatHub>("/hubs/chat", hub =>
{
    hub.AllowStatefulReconnects = true;
    hub.CloseOnAuthenticationExpiration = true;
});
app.MapChatHealthChecks();

await app.RunAsync();
