// Swagger UI from the local copy (service/static/vendor/swagger-ui, swagger-ui-dist 5.x).
// validatorUrl: null — the default would load a badge from validator.swagger.io.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  tryItOutEnabled: false,
  persistAuthorization: false,
  defaultModelsExpandDepth: 0,
});
