"""The "Website" service: the project's status page."""

from projectoffice.registers.services import Service, ServicePage, register_service

WEBSITE = register_service(Service(
    key="website", label="Website", order=90,
    description="The project's public face: a status page with the content the project "
                "manager chooses, published through a link that can be revoked.",
    pages=(ServicePage("Status page", "status-page", "project.view",
                       "Summary, milestones and components as the public sees them"),),
))
