# Codebook: the app on 0.0.0.0:7860 as a non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    GRADIO_ANALYTICS_ENABLED=False \
    CODEBOOK_HOST=0.0.0.0 \
    CODEBOOK_PORT=7860 \
    GRADIO_SERVER_NAME=0.0.0.0 \
    GRADIO_SERVER_PORT=7860 \
    GRADIO_TEMP_DIR=/tmp/gradio \
    CODEBOOK_CACHE_DIR=/data/cache

RUN useradd --create-home --uid 1000 codebook && mkdir -p /data/cache && chown -R codebook /data
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=codebook app.py ./
COPY --chown=codebook engine ./engine
COPY --chown=codebook web ./web

USER codebook
EXPOSE 7860
VOLUME ["/data/cache"]
CMD ["python", "app.py"]
